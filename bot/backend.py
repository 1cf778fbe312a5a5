"""What the bot needs from scoring: a small Protocol the composition root (admin_api) satisfies.

The bot resolves what the user meant (bot.resolve, via store repositories); scoring and persisting the
score, with its outbox events, stays in the scoring service behind this Protocol.
"""

from __future__ import annotations

from typing import Protocol


class QualifyBackend(Protocol):
    """Scores on behalf of a Slack user and returns the id of the persisted `Score` row."""

    def score_lead(self, lead_id: int, *, requested_by: str) -> int:
        """Score a stored lead now (company, latest calls, signals) and persist the score."""
        ...

    def score_domain(self, domain: str, *, requested_by: str) -> int:
        """Score a company provisionally from its domain (low confidence, no calls) and persist the score."""
        ...


class LeadLookup(Protocol):
    """Finds a target the store does not know in the CRM and stores the leads found (crm_sync implements it)."""

    def find(self, kind: str, value: str) -> int:
        """Look up a Lead Id, domain or company name; store what is found and return how many leads."""
        ...
