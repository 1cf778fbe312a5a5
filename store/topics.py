"""Outbox topics and idempotency keys: the one place their spellings live (producers and consumers import them)."""

from __future__ import annotations

from enum import StrEnum


class Topic(StrEnum):
    """What an outbox event is for; each topic has one consumer."""

    SALESFORCE_WRITEBACK = "salesforce.writeback"
    SLACK_POST = "slack.post"
    SLACK_REPORT = "slack.report"


def score_key(topic: Topic, score_id: int | None) -> str:
    """The idempotency key of a score's event on a topic: one event per score and topic."""
    return f"{topic}:score:{score_id}"


def report_key(kind: str, occasion: object) -> str:
    """The idempotency key of a channel report: one report of a kind per occasion (a day, a version, a run)."""
    return f"{Topic.SLACK_REPORT}:{kind}:{occasion}"
