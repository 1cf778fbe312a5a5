"""Fellow ingestion against the fake Fellow API: matching, de-duplication, re-scoring, bad input, faults."""

from __future__ import annotations

import functools
import json

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.fellow.client import FellowClient, FellowUnavailable
from crm_sync.fellow.ingestion import CALLS_SYNC, import_calls, ingest_calls, rematch_unmatched
from crm_sync.fellow.matching import CallMatcher
from crm_sync.salesforce.flows import Rescore
from nlp import company_from_title
from store.db import session_scope
from store.repositories import calls, companies, leads, scores, sync_state
from tests.fakes.fellow import FakeFellow
from tests.integration.crm_sync.conftest import SleepLog, fellow_settings

OWN = ("ourcompany.example",)


def _matcher() -> CallMatcher:
    title = functools.partial(company_from_title, own_names=("Us", "Our Company"))
    return CallMatcher(title, own_domains=OWN, own_names=("Us", "Our Company"))


def _client(fake: FakeFellow, sleeps: SleepLog) -> FellowClient:
    return FellowClient.from_settings(fellow_settings(fake), sleep=sleeps)


def _lead(engine: Engine, domain: str, email: str | None = None, name: str | None = None) -> int:
    with session_scope(engine) as session:
        company, _ = companies.upsert_company(domain, session=session, name=name)
        lead, _, _ = leads.upsert_lead(session=session, salesforce_id=None, email=email, company_id=company.id)
        return int(lead.id or 0)


def test_calls_are_matched_stored_once_and_rescore_their_leads(
    fake_fellow: FakeFellow, engine: Engine, rescore: Rescore, sleeps: SleepLog
) -> None:
    fake_fellow.seed_calls(3)
    by_domain = _lead(engine, "prospect-0.example")
    by_email = _lead(engine, "other.example", email="buyer@prospect-1.example")
    client = _client(fake_fellow, sleeps)
    report = ingest_calls(client, engine, rescore, _matcher())
    assert report.stopped is None and report.stored == 6 and report.rescored == 2
    with Session(engine) as session:
        assert calls.count_calls(session=session) == 3
        assert [c.match_method for c in calls.calls_for_lead(by_domain, session=session)] == ["email_domain"]
        assert [c.match_method for c in calls.calls_for_lead(by_email, session=session)] == ["attendee_email"]
        [unmatched] = calls.unmatched_calls(session=session)
        assert "no company for prospect-2.example" in (unmatched.unmatched_reason or "")
        assert unmatched.transcript and unmatched.notes and "voice automation" in unmatched.notes
        assert sync_state.get_sync_state(CALLS_SYNC, session=session).watermark is not None
    again = ingest_calls(client, engine, rescore, _matcher())
    assert again.rescored == 0
    with Session(engine) as session:
        assert calls.count_calls(session=session) == 3
        assert scores.count_scores(session=session) == 2
    late = _lead(engine, "prospect-2.example")
    assert rematch_unmatched(engine, rescore, _matcher()) == 1
    with Session(engine) as session:
        assert len(calls.calls_for_lead(late, session=session)) == 1


def test_title_and_fuzzy_name_matching_and_bad_notes(
    fake_fellow: FakeFellow, engine: Engine, rescore: Rescore, sleeps: SleepLog
) -> None:
    acme = _lead(engine, "acme.example", name="Acme Robotics")
    globex = _lead(engine, "globex.example", name="Globex Corporation")
    fake_fellow.add_call("Acme Robotics <> Us: intro", attendees=["ae@ourcompany.example"])
    fake_fellow.add_call("Intro: Globex Corporations <> Our Company", attendees=["x@gmail.com"])
    fake_fellow.add_call("Weekly sync", attendees=[], with_recording=False)
    huge = [("Buyer", "word " * 500)] * 2000
    fake_fellow.add_call("Big call", attendees=["ceo@unknown.example"], transcript=huge)
    report = ingest_calls(_client(fake_fellow, sleeps), engine, rescore, _matcher())
    assert report.stopped is None and not report.skipped
    assert any("transcript cut" in w for w in report.warnings)
    assert any("no attendee emails" in w for w in report.warnings)
    with Session(engine) as session:
        assert [c.match_method for c in calls.calls_for_lead(acme, session=session)] == ["title"]
        assert [c.match_method for c in calls.calls_for_lead(globex, session=session)] == ["fuzzy_name"]
        reasons = {c.title: c.unmatched_reason for c in calls.unmatched_calls(session=session)}
    assert reasons["Weekly sync"].startswith("no attendees")
    assert reasons["Big call"].startswith("no company for unknown.example")


@pytest.mark.parametrize("envelope", ["flat", "nested"])
def test_pagination_both_envelopes_and_transient_faults(
    envelope: str, engine: Engine, rescore: Rescore, sleeps: SleepLog
) -> None:
    with FakeFellow(envelope=envelope, auth_mode="authorization") as fake:  # type: ignore[arg-type]
        fake.seed_calls(120)
        fake.rate_limit("notes", retry_after=7)
        fake.server_error("recordings")
        fake.malformed_page("notes", "missing_page_info")
        report = ingest_calls(_client(fake, sleeps), engine, rescore, _matcher())
        assert report.stopped is None and report.stored == 240
        assert fake.call_count("notes") == 3 + 2  # 3 pages of 50, plus the 429 and the broken page
        assert 7.0 in sleeps.delays
    with Session(engine) as session:
        assert calls.count_calls(session=session) == 120


def test_persistent_failure_stops_without_moving_the_watermark(
    fake_fellow: FakeFellow, engine: Engine, rescore: Rescore, sleeps: SleepLog
) -> None:
    fake_fellow.seed_calls(2)
    fake_fellow.server_error("recordings", times=10)
    report = ingest_calls(_client(fake_fellow, sleeps), engine, rescore, _matcher())
    assert report.stopped is not None and report.stored == 2
    with Session(engine) as session:
        assert sync_state.get_sync_state(CALLS_SYNC, session=session) is None
    with pytest.raises(FellowUnavailable):
        list(_client(fake_fellow, sleeps).list_recordings(None))


def test_jsonl_import_reports_bad_lines(engine: Engine, rescore: Rescore) -> None:
    lead = _lead(engine, "initech.example")
    good = {
        "id": "exp-1",
        "title": "Initech intro",
        "created_at": "2024-03-01T10:00:00Z",
        "attendees": [{"email": "bill@initech.example"}],
        "content_markdown": "They want a voice AI agent",
    }
    lines = [
        json.dumps(good).encode(),
        b"{not json",
        json.dumps({"title": "no id"}).encode(),
        json.dumps({**good, "id": "exp-2", "content_markdown": "caf\xe9"}).encode("latin-1"),
        b"",
    ]
    report = import_calls(lines, engine, rescore, _matcher())
    assert report.stored == 2 and report.rescored == 1
    assert any("line 2: invalid JSON" in s for s in report.skipped) and any("line 3" in s for s in report.skipped)
    with Session(engine) as session:
        assert len(calls.calls_for_lead(lead, session=session)) == 2


def test_jsonl_import_reports_calls_stored_then_leads_scored(engine: Engine, rescore: Rescore) -> None:
    _lead(engine, "initech.example")
    _lead(engine, "globex.example")
    lines = [
        json.dumps({"id": f"exp-{n}", "title": "Intro", "attendees": [{"email": f"x@{domain}"}]}).encode()
        for n, domain in enumerate(["initech.example", "globex.example", "initech.example", "nowhere.example"])
    ]
    heard: list[tuple[str, int, int | None]] = []
    report = import_calls(
        [*lines, b"{broken"], engine, rescore, _matcher(),
        progress=lambda stage, done, total: heard.append((stage, done, total)),
    )  # fmt: skip
    assert report.stored == 4 and report.rescored == 2
    assert heard == [("calls", n, 4) for n in range(1, 5)] + [("scoring", 1, 2), ("scoring", 2, 2)]
