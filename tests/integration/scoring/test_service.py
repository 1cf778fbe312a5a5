"""score_lead against a real database (SQLite and PostgreSQL): Score row + outbox events in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from nlp import CallSignals, Evidence
from scoring.scorer import build_scorer
from scoring.service import LeadNotFoundError, score_company, score_lead
from store.db import session_scope
from store.repositories import outbox
from store.repositories.calls import upsert_call
from store.repositories.companies import upsert_company
from store.repositories.leads import upsert_lead
from store.repositories.scores import scores_for_lead

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


class KeywordReader:
    """A deterministic CallReader: flags pricing/meeting/decision maker when the notes say so."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def extract(
        self,
        text: str,
        title: str | None = None,
        *,
        transcript: list[dict[str, Any]] | None = None,
        attendees: object = (),
    ) -> CallSignals:
        self.calls.append(text)
        hot = "pricing" in text
        evidence = (Evidence("pricing_requested", "send us pricing", 0, 15),) if hot else ()
        return CallSignals(
            pricing_requested=hot, next_meeting_scheduled=hot, decision_maker_present=hot, evidence=evidence,
            chars_processed=len(text),
        )  # fmt: skip


def _seed(engine: Engine, *, salesforce_id: str | None = "00Q000000000001AAA") -> int:
    with session_scope(engine) as session:
        company, _ = upsert_company(
            "acme.com", session=session, name="Acme", industry="Logistics", employees=250, description="Freight"
        )
        lead, _, _ = upsert_lead(
            session=session, salesforce_id=salesforce_id, email="dana@acme.com", title="VP Ops", company_id=company.id
        )
        hot = "Dana asked us to send us pricing; demo next week with the COO."
        common = {"session": session, "lead_id": lead.id, "company_id": company.id}
        upsert_call("f-1", started_at=NOW - timedelta(days=5), notes=hot, title="Acme <> Us", **common)
        upsert_call("f-0", started_at=NOW - timedelta(days=40), notes="Intro call.", title="Intro", **common)
        return lead.id


def test_score_lead_persists_the_score_and_enqueues_both_events(engine: Engine) -> None:
    lead_id = _seed(engine)
    reader = KeywordReader()
    with session_scope(engine) as session:
        score = score_lead(lead_id, session=session, scorer=build_scorer(), extractor=reader, now=NOW, trigger="test")
        score_id = score.id
    assert len(reader.calls) == 2
    with session_scope(engine) as session:
        (stored,) = scores_for_lead(lead_id, session=session)
        assert stored.id == score_id and stored.scorer == "prior" and stored.trigger == "test"
        assert stored.recommendation == "AE_HANDOFF" and stored.qualification_score >= 75
        assert "strong_buying_signals" in [rule["rule_id"] for rule in stored.rules_fired]
        assert stored.evidence[0]["quote"] == "send us pricing" and stored.evidence[0]["call_id"] is not None
        assert stored.scored_at == NOW and len(stored.input_hash) == 64
        events = {event.topic: event for event in outbox.events(session=session)}
        assert set(events) == {"salesforce.writeback", "slack.post"}
        assert events["salesforce.writeback"].idempotency_key == f"salesforce.writeback:score:{score_id}"
        assert events["salesforce.writeback"].payload["salesforce_id"] == "00Q000000000001AAA"
        assert events["slack.post"].payload["score_id"] == score_id
        assert events["slack.post"].payload["previous_score_id"] is None


def test_rescoring_keeps_history_and_links_the_previous_score(engine: Engine) -> None:
    lead_id = _seed(engine, salesforce_id=None)
    with session_scope(engine) as session:
        first = score_lead(lead_id, session=session, scorer=build_scorer(), extractor=KeywordReader(), now=NOW)
        first_id, first_hash = first.id, first.input_hash
    with session_scope(engine) as session:
        second = score_lead(lead_id, session=session, scorer=build_scorer(), extractor=KeywordReader(), now=NOW)
        assert second.input_hash == first_hash
        slack = outbox.events(session=session, topic="slack.post")
        assert [e.payload["previous_score_id"] for e in slack] == [None, first_id]
        assert outbox.events(session=session, topic="salesforce.writeback") == []


def test_sync_rescore_of_unchanged_inputs_keeps_the_previous_score(engine: Engine) -> None:
    lead_id = _seed(engine)
    scorer = build_scorer()
    with session_scope(engine) as session:
        first_id = score_lead(lead_id, session=session, scorer=scorer, extractor=KeywordReader(), now=NOW).id
    with session_scope(engine) as session:
        again = score_lead(
            lead_id, session=session, scorer=scorer, extractor=KeywordReader(), now=NOW, skip_unchanged=True
        )
        assert again.id == first_id
        assert len(scores_for_lead(lead_id, session=session)) == 1
        assert len(outbox.events(session=session, topic="slack.post")) == 1
        upsert_call("f-2", session=session, lead_id=lead_id, started_at=NOW - timedelta(days=1), notes="New call.")
    with session_scope(engine) as session:
        changed = score_lead(
            lead_id, session=session, scorer=scorer, extractor=KeywordReader(), now=NOW, skip_unchanged=True
        )
        assert changed.id != first_id
        assert len(outbox.events(session=session, topic="slack.post")) == 2


def test_a_failure_after_scoring_persists_nothing(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    lead_id = _seed(engine)

    def broken_enqueue(*args: object, **kwargs: object) -> None:
        raise RuntimeError("outbox down")

    monkeypatch.setattr("scoring.service.enqueue", broken_enqueue)
    with pytest.raises(RuntimeError, match="outbox down"), session_scope(engine) as session:
        score_lead(lead_id, session=session, scorer=build_scorer(), extractor=KeywordReader(), now=NOW)
    with session_scope(engine) as session:
        assert scores_for_lead(lead_id, session=session) == []
        assert outbox.events(session=session) == []


def test_unknown_lead_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(LeadNotFoundError, match="lead 999 does not exist"), session_scope(engine) as session:
        score_lead(999, session=session, scorer=build_scorer(), extractor=KeywordReader(), now=NOW)


def test_score_company_reads_without_writing(engine: Engine) -> None:
    lead_id = _seed(engine)
    with session_scope(engine) as session:
        company_id = upsert_company("acme.com", session=session)[0].id
        result = score_company(company_id, session=session, scorer=build_scorer(), extractor=KeywordReader(), now=NOW)
        assert result.recommendation == "AE_HANDOFF"
        assert scores_for_lead(lead_id, session=session) == [] and outbox.events(session=session) == []
