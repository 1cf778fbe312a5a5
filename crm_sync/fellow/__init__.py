"""Fellow: API client, call ingestion, call-to-lead matching and the webhook hint."""
