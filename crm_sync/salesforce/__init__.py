"""Salesforce: API client, lead poller, score writeback, outcome sync and the Flow inbound hook."""
