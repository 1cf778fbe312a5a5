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
        """Score a company from its domain alone (low confidence) and persist the score."""
        ...
