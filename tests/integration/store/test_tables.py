"""Round trips for every table through the repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from store.normalize import InvalidDomainError
from store.repositories import calls, companies, feedback, jobs, leads, model_versions, outcomes, scores, sync_state
from store.tables import Company, JobRun, Lead

T0 = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def _score_fields(lead_id: int) -> dict:
    return {
        "lead_id": lead_id,
        "qualification_score": 82,
        "progression_probability": 0.71,
        "voice_ai_fit": 90,
        "recommendation": "AE_HANDOFF",
        "priority": "HIGH_VOICE_AI",
        "confidence": 0.8,
        "reasoning": ["Asked for pricing on the call"],
        "factors": [{"feature": "pricing_requested", "value": 1, "contribution": 0.4, "text": "Pricing requested"}],
        "rules_fired": [{"rule_id": "hot", "effect": "floor_score", "reason": "Pricing + meeting + DM"}],
        "evidence": [{"signal": "pricing_requested", "quote": "send pricing", "call_id": "c1", "start": 3, "end": 15}],
        "model_version": "prior-1",
        "scorer": "prior",
        "input_hash": "a" * 64,
        "scored_at": T0,
    }


def _lead(session: Session) -> Lead:
    company, _ = companies.upsert_company("acme.com", session=session, name="Acme", industry="Logistics")
    lead, created, _ = leads.upsert_lead(
        session=session, salesforce_id="00Q000000000001AAA", email="jo@acme.com", company_id=company.id, created_at=T0
    )
    assert created
    return lead


def test_company_is_unique_by_normalised_domain(session: Session) -> None:
    first, created = companies.upsert_company("https://www.ACME.com/", session=session, name="Acme")
    second, created_again = companies.upsert_company("acme.com", session=session, industry="Retail")
    session.commit()
    assert created and not created_again and first.id == second.id
    stored = companies.get_company_by_domain("WWW.Acme.COM", session=session)
    assert stored is not None and stored.name == "Acme" and stored.industry == "Retail"
    session.add(Company(domain="acme.com"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    with pytest.raises(InvalidDomainError):
        companies.upsert_company("localhost", session=session)


def test_company_name_search_puts_exact_matches_first(session: Session) -> None:
    companies.upsert_company("acmelogistics.com", session=session, name="Acme Logistics")
    companies.upsert_company("acme.com", session=session, name="Acme")
    session.commit()
    assert [row.name for row in companies.find_companies_by_name("acme", session=session)] == ["Acme", "Acme Logistics"]


def test_lead_round_trip_and_change_detection(session: Session) -> None:
    lead = _lead(session)
    session.commit()
    again, created, changed = leads.upsert_lead(
        session=session, salesforce_id="00Q000000000001AAA", email="jo@acme.com", urgency_level=4
    )
    assert not created and again.id == lead.id and changed == {"urgency_level"}
    _, _, unchanged = leads.upsert_lead(session=session, salesforce_id="00Q000000000001AAA", urgency_level=4)
    assert unchanged == set()
    session.commit()
    stored = leads.get_lead_by_salesforce_id("00Q000000000001", session=session)
    assert stored is not None and stored.created_at == T0 and stored.created_at.tzinfo is not None
    session.add(Lead(salesforce_id="00Q000000000001AAA"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_call_round_trip_keeps_json_and_is_unique_by_fellow_id(session: Session) -> None:
    lead = _lead(session)
    transcript = [{"speaker": "Jo", "text": "We need voice AI", "start_time": 0.0, "end_time": 2.5}]
    call, created = calls.upsert_call(
        "fellow-1", session=session, lead_id=lead.id, title="Acme <> Telnyx", started_at=T0,
        attendees=["jo@acme.com", "sam@telnyx.com"], notes="Pricing asked", transcript=transcript,
    )  # fmt: skip
    again, created_again = calls.upsert_call("fellow-1", session=session, notes="Pricing asked, trial next week")
    session.commit()
    assert created and not created_again and call.id == again.id
    stored = calls.calls_for_lead(lead.id, session=session)
    assert len(stored) == 1 and stored[0].transcript == transcript and stored[0].attendees[1] == "sam@telnyx.com"
    calls.upsert_call("fellow-2", session=session, title="Unknown", unmatched_reason="no attendee domain")
    session.commit()
    assert [row.fellow_id for row in calls.unmatched_calls(session=session)] == ["fellow-2"]


def test_score_and_feedback_round_trip(session: Session) -> None:
    lead = _lead(session)
    score = scores.add_score(session=session, **_score_fields(lead.id))
    session.commit()
    stored = scores.latest_score(lead.id, session=session)
    assert stored is not None and stored.factors[0]["feature"] == "pricing_requested" and stored.scored_at == T0
    first, created = feedback.record_feedback(session=session, score_id=score.id, user_id="U1", verdict="up")
    second, created_again = feedback.record_feedback(
        session=session, score_id=score.id, user_id="U1", verdict="down", reason="bad_timing", comment="Q3"
    )
    session.commit()
    assert created and not created_again and first.id == second.id
    rows = feedback.feedback_for_score(score.id, session=session)
    assert len(rows) == 1 and rows[0].verdict == "down" and rows[0].reason == "bad_timing"
    assert rows[0].model_version == "prior-1" and rows[0].lead_id == lead.id
    with pytest.raises(feedback.UnknownScoreError):
        feedback.record_feedback(session=session, score_id=999_999, user_id="U1", verdict="up")
    with pytest.raises(ValueError, match="verdict"):
        feedback.record_feedback(session=session, score_id=score.id, user_id="U1", verdict="meh")


def test_outcome_upsert_reports_changes(session: Session) -> None:
    lead = _lead(session)
    _, changed = outcomes.upsert_outcome(lead.id, session=session, progressed=False, status="Nurturing", decided_at=T0)
    _, same = outcomes.upsert_outcome(lead.id, session=session, progressed=False, status="Nurturing", decided_at=T0)
    _, moved = outcomes.upsert_outcome(
        lead.id, session=session, progressed=True, status="Converted", stage="Qualification", decided_at=T0
    )
    session.commit()
    assert changed and not same and moved
    stored = outcomes.get_outcome(lead.id, session=session)
    assert stored is not None and stored.progressed and stored.stage == "Qualification"


def test_model_registry_keeps_one_champion(session: Session) -> None:
    for version in ("v1", "v2"):
        model_versions.add_model_version(
            version, session=session, artifact_path=f"models/{version}", details={"n": 1}, metrics={"auc": 0.8}
        )
    model_versions.set_champion("v1", session=session)
    model_versions.set_champion("v2", session=session)
    model_versions.update_metrics("v2", {"brier": 0.1}, session=session)
    session.commit()
    champion = model_versions.get_champion(session=session)
    assert champion is not None and champion.version == "v2" and champion.metrics == {"auc": 0.8, "brier": 0.1}
    retired = model_versions.get_model_version("v1", session=session)
    assert retired is not None and retired.state == "retired" and retired.retired_at is not None
    with pytest.raises(LookupError):
        model_versions.set_champion("nope", session=session)


def test_sync_state_and_job_runs(session: Session) -> None:
    assert sync_state.get_sync_state("salesforce.leads", session=session) is None
    sync_state.set_watermark("salesforce.leads", T0, session=session, cursor="00Q1")
    session.commit()
    state = sync_state.get_sync_state("salesforce.leads", session=session)
    assert state is not None and state.watermark == T0 and state.cursor == "00Q1"
    run = jobs.start_job_run("drift", session=session, worker_id="w1")
    jobs.finish_job_run(run.id, session=session, status="ok", details={"psi": 0.02})
    session.commit()
    stored = session.get(JobRun, run.id)
    assert stored is not None and stored.status == "ok" and stored.duration_seconds is not None
    assert stored.details == {"psi": 0.02}


def test_job_lock_allows_one_holder_until_expiry(session: Session) -> None:
    assert jobs.acquire_lock("retrain", "w1", session=session, ttl_seconds=60, now=T0)
    session.commit()
    assert not jobs.acquire_lock("retrain", "w2", session=session, ttl_seconds=60, now=T0 + timedelta(seconds=10))
    assert jobs.acquire_lock("retrain", "w1", session=session, ttl_seconds=60, now=T0 + timedelta(seconds=20))
    assert jobs.acquire_lock("retrain", "w2", session=session, ttl_seconds=60, now=T0 + timedelta(seconds=200))
    jobs.release_lock("retrain", "w2", session=session)
    session.commit()
    assert jobs.acquire_lock("retrain", "w3", session=session, ttl_seconds=60, now=T0)
