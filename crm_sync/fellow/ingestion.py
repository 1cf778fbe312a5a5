"""Fellow call ingestion: notes and recordings since the watermark (or a JSONL export), de-duplicated by Fellow
id, stored, matched to a lead, and the matched leads re-scored. Unmatched calls are kept with their reason.

The watermark advances only after a complete pass; an interrupted pass is simply re-read next time (storing
the same call again changes nothing and triggers no re-score).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from structlog import get_logger

from crm_sync.fellow.client import FellowApi, FellowError
from crm_sync.fellow.matching import CallMatcher
from crm_sync.fellow.records import (
    START_FIELDS,
    CallData,
    CallRecordError,
    parse_note,
    parse_recording,
    unread_fields,
)
from crm_sync.progress import Progress, no_progress
from crm_sync.salesforce.flows import Rescore, SyncReport, rescore_leads, rescore_pending
from store.db import session_scope
from store.enums import ScoreTrigger
from store.repositories import calls, leads, sync_state
from store.types import utcnow

log = get_logger(__name__)
CALLS_SYNC = "fellow.calls"
DEFAULT_LOOKBACK = timedelta(days=30)
OVERLAP = timedelta(minutes=5)
REMATCH_LIMIT = 200


def store_call(data: CallData, matcher: CallMatcher, *, session: Session) -> int | None:
    """Upsert one call (matching it when new, unmatched, or its attendees/title changed); returns the lead id
    to re-score when the call is new, its content changed or it moved to another lead."""
    existing = calls.call_by_fellow_id(data.fellow_id, session=session)
    fields: dict[str, Any] = data.fields()
    attendees = data.attendees if data.attendees is not None else (existing.attendees if existing else [])
    title = data.title or (existing.title if existing else None)
    rematch = existing is None or existing.lead_id is None or existing.attendees != attendees or existing.title != title
    if rematch:
        found = matcher.match(attendees, title, session=session)
        fields |= {
            "lead_id": found.lead_id,
            "company_id": found.company_id,
            "match_method": found.method,
            "unmatched_reason": None if found.lead_id else found.reason,
        }
    before = (existing.notes, existing.transcript, existing.lead_id) if existing else None
    call, _ = calls.upsert_call(data.fellow_id, session=session, **fields)
    if call.lead_id is None or before == (call.notes, call.transcript, call.lead_id):
        return None
    leads.mark_score_pending(call.lead_id, session=session)
    return call.lead_id


def _store_all(
    engine: Engine,
    items: Iterable[CallData],
    matcher: CallMatcher,
    report: SyncReport,
    *,
    total: int | None = None,
    progress: Progress = no_progress,
) -> set[int]:
    to_rescore: set[int] = set()
    for data in items:
        report.fetched += 1
        report.warnings.extend(f"call {data.fellow_id}: {w}" for w in data.warnings)
        try:
            with session_scope(engine) as session:
                lead_id = store_call(data, matcher, session=session)
        except Exception as exc:  # one bad call is reported; the others continue
            log.exception("fellow.call_failed", fellow_id=data.fellow_id)
            report.skipped.append(f"call {data.fellow_id}: {type(exc).__name__}: {exc}"[:300])
        else:
            report.stored += 1
            if lead_id is not None:
                to_rescore.add(lead_id)
        progress("calls", report.fetched, total)
    return to_rescore


def _parsed(
    raws: Iterable[Any], parse: Callable[[Any, datetime], CallData], now: datetime, report: SyncReport
) -> Iterable[CallData]:
    for raw in raws:
        try:
            yield parse(raw, now)
        except CallRecordError as exc:
            report.skipped.append(f"{exc}: {str(raw)[:120]}")


def ingest_calls(
    client: FellowApi,
    engine: Engine,
    rescore: Rescore,
    matcher: CallMatcher,
    *,
    initial_lookback: timedelta = DEFAULT_LOOKBACK,
    now: Callable[[], datetime] = utcnow,
) -> SyncReport:
    """Pull notes then recordings updated since the watermark, store and match them, re-score matched leads."""
    report = SyncReport()
    started = now()
    with session_scope(engine) as session:
        state = sync_state.get_sync_state(CALLS_SYNC, session=session)
    since = state.watermark - OVERLAP if state and state.watermark else started - initial_lookback
    to_rescore: set[int] = set()
    newest: datetime | None = None
    try:
        for parse, stream in ((parse_note, client.list_notes(since)), (parse_recording, client.list_recordings(since))):
            items = list(_parsed(stream, parse, started, report))
            to_rescore |= _store_all(engine, items, matcher, report)
            stamps = [i.updated_at for i in items if i.updated_at is not None]
            newest = max([*stamps, *([newest] if newest else [])], default=None)
    except FellowError as exc:
        report.stopped = str(exc)
        log.error("fellow.ingest.stopped", reason=str(exc), stored=report.stored)
    rescore_leads(engine, sorted(to_rescore), rescore, report, trigger=ScoreTrigger.FELLOW_CALL)
    rescore_pending(engine, rescore, report, trigger=ScoreTrigger.FELLOW_CALL, tried=to_rescore)
    if report.stopped is None and newest is not None:
        with session_scope(engine) as session:
            report.watermark = min(newest, started)
            sync_state.set_watermark(CALLS_SYNC, report.watermark, session=session)
    log.info("fellow.ingested", fetched=report.fetched, stored=report.stored, rescored=report.rescored)
    return report


def import_calls(
    lines: Iterable[str | bytes],
    engine: Engine,
    rescore: Rescore,
    matcher: CallMatcher,
    *,
    now: Callable[[], datetime] = utcnow,
    progress: Progress = no_progress,
) -> SyncReport:
    """Import an export of past calls (JSON Lines, one note-like object per line) the same way as ingestion;
    `progress` hears calls stored of the total, then leads scored of those to score."""
    report = SyncReport()
    started = now()
    items: list[CallData] = []
    unread: Counter[str] = Counter()
    for number, line in enumerate(lines, start=1):
        text = line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
            items.append(parse_note(raw, started))
            unread.update(unread_fields(raw))
        except json.JSONDecodeError as exc:
            report.skipped.append(f"line {number}: invalid JSON ({exc.msg})")
        except CallRecordError as exc:
            report.skipped.append(f"line {number}: {exc}")
    for name, count in sorted(unread.items()):
        report.warnings.append(f"field {name!r} is not read (in {count} calls); its values were dropped")
    no_start = sum(1 for item in items if item.started_at is None)
    if no_start:
        report.warnings.append(
            f"{no_start} calls have no start time (none of {', '.join(START_FIELDS)}): stored undated"
        )
    to_rescore = _store_all(engine, items, matcher, report, total=len(items), progress=progress)
    rescore_leads(engine, sorted(to_rescore), rescore, report, trigger=ScoreTrigger.FELLOW_IMPORT, progress=progress)
    return report


def rematch_unmatched(engine: Engine, rescore: Rescore, matcher: CallMatcher, *, limit: int = REMATCH_LIMIT) -> int:
    """Try unmatched calls again (their lead may have synced since); returns how many now match."""
    with session_scope(engine) as session:
        pending = [(c.fellow_id, c.attendees, c.title) for c in calls.unmatched_calls(session=session, limit=limit)]
    matched: set[int] = set()
    count = 0
    for fellow_id, attendees, title in pending:
        with session_scope(engine) as session:
            found = matcher.match(attendees, title, session=session)
            if found.lead_id is None:
                continue
            calls.upsert_call(
                fellow_id,
                session=session,
                lead_id=found.lead_id,
                company_id=found.company_id,
                match_method=found.method,
                unmatched_reason=None,
            )
            matched.add(found.lead_id)
            count += 1
    rescore_leads(engine, sorted(matched), rescore, SyncReport(), trigger=ScoreTrigger.FELLOW_CALL)
    return count
