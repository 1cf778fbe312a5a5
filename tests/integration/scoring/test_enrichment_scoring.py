"""Stored enrichment reaches scoring (SQLite and PostgreSQL): features, reasons, the input hash and rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from nlp import CallSignals
from scoring.facts import company_facts
from scoring.scorer import build_scorer
from scoring.service import score_company, score_lead
from store.db import session_scope
from store.repositories.companies import get_company, upsert_company
from store.repositories.enrichment import save_enrichment
from store.repositories.leads import upsert_lead

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
WEBSITE = {"has_online_booking": True, "has_call_centre": True, "has_phone_number": True, "has_login": False,
           "has_chat_widget": False, "has_payments": False, "cpaas_vendors": [], "contact_centre_vendors": ["Five9"],
           "voice_ai_indicators": [], "business_model": ["b2c"], "parked_domain": False}  # fmt: skip


class SilentReader:
    """A CallReader for leads without calls (never called here)."""

    def extract(
        self,
        text: str,
        title: str | None = None,
        *,
        transcript: list[dict[str, Any]] | None = None,
        attendees: object = (),
    ) -> CallSignals:
        raise AssertionError("no calls to read")


def _seed(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        company, _ = upsert_company("clinic.example", session=session, name="Clinic", industry="Healthcare",
                                    employees=400, description="Dental clinics")  # fmt: skip
        lead, _, _ = upsert_lead(session=session, email="ana@clinic.example", title="VP Operations",
                                 company_id=company.id)  # fmt: skip
        return company.id or 0, lead.id or 0


def _store(session: Session, company_id: int, provider: str, data: dict[str, Any]) -> None:
    save_enrichment(company_id, provider, session=session, status="ok", reason=None, data=data, fetched_at=NOW,
                    expires_at=NOW + timedelta(days=30))  # fmt: skip


def test_stored_enrichment_reaches_features_and_reasons(engine: Engine) -> None:
    company_id, lead_id = _seed(engine)
    with session_scope(engine) as session:
        before = score_lead(lead_id, session=session, scorer=build_scorer(), extractor=SilentReader(), now=NOW)
        before_hash = before.input_hash
        assert not any(text.startswith("Website") for text in before.reasoning)
        assert company_facts(get_company(company_id, session=session), session=session).enrichment == {"sources": {}}
    with session_scope(engine) as session:
        _store(session, company_id, "website", WEBSITE)
        _store(session, company_id, "csv", {"industry": "Dental", "has_online_booking": False})
    with session_scope(engine) as session:
        facts = company_facts(get_company(company_id, session=session), session=session)
        assert facts.enrichment["has_online_booking"] is False
        assert facts.enrichment["sources"]["has_online_booking"] == "csv"
        assert facts.enrichment["has_call_centre"] is True
        after = score_lead(lead_id, session=session, scorer=build_scorer(), extractor=SilentReader(), now=NOW)
        assert "Website has a call-centre number (raises the score)" in after.reasoning
        assert after.input_hash != before_hash
        assert after.qualification_score > before.qualification_score


def test_parked_domain_rule_fires_from_stored_enrichment(engine: Engine) -> None:
    company_id, _ = _seed(engine)
    with session_scope(engine) as session:
        _store(session, company_id, "website", {"parked_domain": True, "has_login": False, "cpaas_vendors": []})
    with session_scope(engine) as session:
        result = score_company(company_id, session=session, scorer=build_scorer(), extractor=SilentReader(), now=NOW)
    assert [rule.rule_id for rule in result.rules_fired] == ["parked_domain"]
    assert result.qualification_score <= 30 and result.recommendation == "SELF_SERVICE"
