"""The values stored in text columns that code branches on: feedback verdicts and reasons, score triggers."""

from __future__ import annotations

from enum import StrEnum


class FeedbackVerdict(StrEnum):
    """An AE's judgement of a score (👍 / 👎)."""

    UP = "up"
    DOWN = "down"


class FeedbackReason(StrEnum):
    """Why an AE gave 👎 (the modal's choices)."""

    WRONG_FIT = "wrong_fit"
    NOT_VOICE_AI = "not_voice_ai"
    BAD_TIMING = "bad_timing"
    EXISTING_CUSTOMER = "existing_customer"
    OTHER = "other"


class ScoreTrigger(StrEnum):
    """What caused a score (Score.trigger); the poster stays quiet for some of them."""

    SLACK = "slack"
    API = "api"
    SALESFORCE = "salesforce"
    SALESFORCE_INBOUND = "salesforce.inbound"
    FELLOW_CALL = "fellow.call"
    FELLOW_IMPORT = "fellow.import"
    ENRICHMENT_CHANGED = "enrichment.changed"
    RESCORE = "rescore"
    BACKFILL = "backfill"
