"""HTTP routes of the API: scoring and feedback, models, health and metrics, inbound webhooks."""
