"""The web API: scoring, model and system routes, Slack and webhook endpoints, auth, limits, errors and metrics."""
