"""Fellow ingestion through rate limits, a dead endpoint and malformed pages: an interrupted pass leaves the
watermark alone, the re-read stores each call once and never re-scores a lead whose calls did not change."""

from __future__ import annotations

import functools
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine

from crm_sync.fellow.client import FellowClient
from crm_sync.fellow.ingestion import CALLS_SYNC, ingest_calls
from crm_sync.fellow.matching import CallMatcher
from nlp import SignalExtractor, company_from_title
from scoring.scorer import Scorer
from scoring.service import score_lead
from store.db import session_scope
from store.repositories import calls, companies, leads, sync_state
from store.tables import Score
from tests.fakes import ManualClock
from tests.fakes.fellow import FakeFellow
from tests.integration.crm_sync.conftest import SleepLog, fellow_settings

CALLS = 60
OWN_NAMES = ("Us", "Our Company")


def _matcher() -> CallMatcher:
    title = functools.partial(company_from_title, own_names=OWN_NAMES)
    return CallMatcher(title, own_domains=("ourcompany.example",), own_names=OWN_NAMES)


def _scores(engine: Engine) -> list[tuple[int, str]]:
    with session_scope(engine) as session:
        return [(int(r.lead_id or 0), r.input_hash) for r in session.execute(select(Score)).scalars()]


def _watermark(engine: Engine) -> datetime | None:
    with session_scope(engine) as session:
        state = sync_state.get_sync_state(CALLS_SYNC, session=session)
        return state.watermark if state else None


def test_fellow_faults_then_reread_store_once_and_move_the_watermark_only_when_complete(
    engine: Engine, scorer: Scorer, extractor: SignalExtractor
) -> None:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    clock = ManualClock(start)
    rescore = functools.partial(score_lead, scorer=scorer, extractor=extractor)
    with FakeFellow(clock=clock) as fake:
        fake.seed_calls(CALLS, start=start)
        with session_scope(engine) as session:
            for n in range(0, CALLS, 2):  # every other prospect is a known lead
                company, _ = companies.upsert_company(f"prospect-{n}.example", session=session, name=f"Prospect {n}")
                leads.upsert_lead(session=session, email=f"buyer@prospect-{n}.example", company_id=company.id)
        client = FellowClient.from_settings(fellow_settings(fake), sleep=SleepLog())

        fake.rate_limit("notes", retry_after=3)  # transient: waited out
        fake.malformed_page("notes", "invalid_json")  # transient: re-read
        fake.rate_limit("recordings", retry_after=3, times=20)  # persistent: the pass stops
        first = ingest_calls(client, engine, rescore, _matcher())
        assert first.stopped is not None and _watermark(engine) is None
        after_first = _scores(engine)
        assert len(after_first) == CALLS // 2  # matched leads scored from their notes

        fake.faults.clear()
        fake.malformed_page("recordings", "invalid_json")
        fake.malformed_page("notes", "missing_page_info")
        second = ingest_calls(client, engine, rescore, _matcher())
        assert second.stopped is None and second.rescored == CALLS // 2  # the transcripts arrived
        assert _watermark(engine) == start + timedelta(minutes=CALLS - 1)  # the newest call seen
        third = ingest_calls(client, engine, rescore, _matcher())
        assert third.stopped is None and third.rescored == 0

        clock.advance(2 * 3600)
        note_id = fake.seed_calls(1, domain_pattern="prospect-0.example", start=clock())[0][0]
        fake.edit_note(note_id, content_markdown="Follow-up: they signed off the Voice AI pilot budget")
        fourth = ingest_calls(client, engine, rescore, _matcher())
        assert fourth.stopped is None and fourth.rescored == 1
        assert _watermark(engine) == start + timedelta(hours=2)

    with session_scope(engine) as session:
        assert calls.count_calls(session=session) == CALLS + 1
    everything = _scores(engine)
    assert len(everything) == CALLS // 2 * 2 + 1, "one score per lead per pass that changed its calls, no more"
    per_lead = Counter(lead for lead, _ in everything)
    assert len(per_lead) == CALLS // 2 and max(per_lead.values()) == 3
