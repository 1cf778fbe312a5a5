"""Re-score the open leads when the champion changes (promotion, rollback, reload) or by hand.

AEs must see the serving model's scores, not the old one's, so a champion change marks every open lead
`score_pending` and records the new champion in the same transaction (a crash leaves the marks, which the
next sync finishes), then scores them in batches with progress. Each changed score queues its Salesforce
writeback as usual (delivered in collections of 200 within the API budget); Slack gets one summary for the run
instead of a card per lead (these scores carry ScoreTrigger.RESCORE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import structlog
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.db import session_scope
from store.enums import ScoreTrigger
from store.repositories import leads, model_versions, outbox, scores, sync_state
from store.topics import Topic, report_key
from store.types import utcnow

log = structlog.get_logger(__name__)
CHAMPION_STATE = "learning.rescore.champion"
PRIOR = "prior"
BATCH = 200

Progress = Callable[[str], None]


class Rescore(Protocol):
    """Scores one lead inside the caller's transaction and returns the Score row (or an object with its id)."""

    def __call__(self, lead_id: int, *, session: Session, trigger: str) -> object:
        """Score the lead, persist the Score and its outbox events in `session`."""
        ...


@dataclass
class RescoreReport:
    """What one re-scoring run did."""

    reason: str
    champion: str
    marked: int = 0
    rescored: int = 0
    changed: int = 0
    recommendation_changed: int = 0
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary (CLI, job record)."""
        return {
            "reason": self.reason,
            "champion": self.champion,
            "open_leads": self.marked,
            "rescored": self.rescored,
            "score_changed": self.changed,
            "recommendation_changed": self.recommendation_changed,
            "failures": self.failures[:20],
            "failure_count": len(self.failures),
        }


def serving_version(*, session: Session) -> str:
    """The champion's version, or "prior" when the rule-based prior serves."""
    champion = model_versions.get_champion(session=session)
    return champion.version if champion else PRIOR


def _mark(session: Session, closed_statuses: Iterable[str], since: datetime | None, champion: str) -> list[int]:
    ids = leads.open_lead_ids(session=session, closed_statuses=closed_statuses, modified_since=since)
    leads.mark_many_score_pending(ids, session=session)
    sync_state.set_watermark(CHAMPION_STATE, utcnow(), session=session, cursor=champion)
    return ids


def rescore_open_leads(
    engine: Engine,
    rescore: Rescore,
    *,
    closed_statuses: Sequence[str],
    reason: str,
    since: datetime | None = None,
    progress: Progress | None = None,
) -> RescoreReport:
    """Mark the open leads (optionally only those a person changed since `since`), score them in batches and
    queue one summary for the channel."""
    with session_scope(engine) as session:
        champion = serving_version(session=session)
        ids = _mark(session, closed_statuses, since, champion)
    return _run(engine, rescore, ids, RescoreReport(reason, champion, marked=len(ids)), progress)


def rescore_if_champion_changed(
    engine: Engine, rescore: Rescore, *, closed_statuses: Sequence[str], progress: Progress | None = None
) -> RescoreReport | None:
    """Re-score every open lead when the serving model differs from the one the last run recorded. The first
    call only records the serving model (the leads are being scored by it as they sync)."""
    with session_scope(engine) as session:
        champion = serving_version(session=session)
        state = sync_state.get_sync_state(CHAMPION_STATE, session=session)
        if state is None:
            sync_state.set_watermark(CHAMPION_STATE, utcnow(), session=session, cursor=champion)
            return None
        if state.cursor == champion:
            return None
        previous = state.cursor or PRIOR
        ids = _mark(session, closed_statuses, None, champion)
    log.info("learning.rescore.champion_changed", previous=previous, champion=champion, open_leads=len(ids))
    report = RescoreReport(f"serving model changed from {previous} to {champion}", champion, marked=len(ids))
    return _run(engine, rescore, ids, report, progress)


def _run(
    engine: Engine, rescore: Rescore, ids: list[int], report: RescoreReport, progress: Progress | None
) -> RescoreReport:
    for start in range(0, len(ids), BATCH):
        for lead_id in ids[start : start + BATCH]:
            _one(engine, rescore, lead_id, report)
        message = f"re-scored {min(start + BATCH, len(ids))}/{len(ids)} open leads ({report.changed} changed)"
        log.info("learning.rescore.progress", done=min(start + BATCH, len(ids)), total=len(ids))
        if progress is not None:
            progress(message)
    with session_scope(engine) as session:
        _enqueue_summary(report, session=session)
    log.info("learning.rescore.done", **{k: v for k, v in report.as_dict().items() if k != "failures"})
    return report


def _one(engine: Engine, rescore: Rescore, lead_id: int, report: RescoreReport) -> None:
    try:
        with session_scope(engine) as session:
            before = scores.latest_score(lead_id, session=session)
            old = (before.qualification_score, before.recommendation) if before else None
            after = rescore(lead_id, session=session, trigger=ScoreTrigger.RESCORE)
            new = (getattr(after, "qualification_score", None), getattr(after, "recommendation", None))
    except Exception as exc:  # one lead's failure must not stop the run; it stays pending for the next sync
        log.exception("learning.rescore.lead_failed", lead_id=lead_id)
        report.failures.append(f"lead {lead_id}: {type(exc).__name__}: {exc}"[:300])
        return
    report.rescored += 1
    report.changed += int(old != new)
    report.recommendation_changed += int(old is None or old[1] != new[1])


def _enqueue_summary(report: RescoreReport, *, session: Session) -> None:
    """One message for the channel per run (idempotent per run start)."""
    payload = {
        "kind": "rescore",
        "title": f"Open leads re-scored with {report.champion}",
        "text": report.reason,
        "fields": {k: str(v) for k, v in report.as_dict().items() if k not in ("failures", "reason")},
    }
    key = report_key("rescore", f"{report.champion}:{utcnow().isoformat()}")
    outbox.enqueue(Topic.SLACK_REPORT, key, payload, session=session)
