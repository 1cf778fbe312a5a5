"""The exploration slice: a small, deterministic share of leads routed as if unscored.

Which leads explore is decided by a hash of the lead's stable key (its Salesforce Id, else its local id) and
the seed, never by a random draw, so the same lead always lands in the same slice on every worker and every
re-score. Outcomes of these leads are free of the model's own routing, which keeps evaluation (handoff recall
in particular) and retraining honest.
"""

from __future__ import annotations

import hashlib


def exploration_key(lead_id: int | None, salesforce_id: str | None) -> str:
    """The stable key a lead is hashed by: its 15-character Salesforce Id when known, else its local id."""
    if salesforce_id:
        return f"sf:{salesforce_id[:15]}"
    if lead_id is None:
        raise ValueError("a lead needs a Salesforce Id or a local id to be placed in or out of exploration")
    return f"lead:{lead_id}"


def exploration_bucket(key: str, seed: int) -> float:
    """A uniform number in [0, 1) derived from the key and seed."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_exploration(key: str, *, rate: float, seed: int) -> bool:
    """True when the lead belongs to the exploration share `rate` (0 disables exploration)."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"exploration rate must be within [0, 1], got {rate}")
    return exploration_bucket(key, seed) < rate
