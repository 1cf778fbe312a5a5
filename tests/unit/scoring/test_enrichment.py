"""Merging providers' facts, material changes and the sentences that cite them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np

from nlp import CallSignals
from scoring.config import load_scoring_config
from scoring.domain import CallFacts, CompanyFacts, Factor, LeadFacts, Recommendation
from scoring.enrichment import (
    FACT_KEYS,
    cite_fact,
    fact_sentences,
    is_material_change,
    material_changes,
    merge_facts,
)
from scoring.explain import cite_enrichment, reasoning
from scoring.features import FEATURE_INDEX, FEATURE_NAMES, SPECS, build_features, encode_row, features_frame
from scoring.scorer import Scorer

from .conftest import NOW


def test_first_provider_in_order_wins_per_fact() -> None:
    merged = merge_facts(
        [
            ("website", {"description": "From the site", "has_online_booking": True, "industry": None}),
            ("csv", {"industry": "Dental", "employees": 40}),
            ("salesforce", {"industry": "Healthcare", "description": ""}),
        ],
        order=("salesforce", "csv", "website"),
    )
    assert merged["industry"] == "Healthcare" and merged["employees"] == 40
    assert merged["description"] == "From the site" and merged["has_online_booking"] is True
    assert merged["sources"] == {"industry": "salesforce", "employees": "csv", "description": "website",
                                 "has_online_booking": "website"}  # fmt: skip
    assert set(merged) - {"sources"} <= set(FACT_KEYS)


def test_material_changes_ignore_cosmetic_ones() -> None:
    before = {"employees": 40, "description": "old", "tech_stack": ["Calendly"], "has_online_booking": True}
    assert not is_material_change(before, {**before, "employees": 45, "description": "new", "tech_stack": []})
    assert material_changes(before, {**before, "employees": 400}) == ["employees"]
    assert material_changes(before, {**before, "has_online_booking": False}) == ["has_online_booking"]
    assert material_changes({}, {"voice_ai_indicators": ["ivr"]}) == ["voice_ai_indicators"]
    assert not is_material_change({"business_model": ["b2b", "saas"]}, {"business_model": ["SaaS", "B2B"]})


def test_sentences_cite_the_facts() -> None:
    facts = {"has_online_booking": True, "has_call_centre": True, "has_phone_number": True,
             "voice_ai_indicators": ["ivr", "voice bots"], "business_model": ["b2b", "saas"],
             "industry": "Dental", "employees": 1200}  # fmt: skip
    assert fact_sentences(facts) == [
        "Website has online booking and a call-centre number",
        "Website mentions Voice AI: ivr, voice bots",
        "Business model: B2B, SaaS",
        "Industry: Dental; 1,200 employees",
    ]
    assert fact_sentences({"parked_domain": True, "has_login": True}) == ["Domain is parked (no real website)"]
    assert fact_sentences({}) == []


def test_cite_fact_words_one_fact() -> None:
    facts = {"cpaas_vendors": ["Twilio", "Vonage"], "business_model": ["b2b"], "has_login": True, "hiring": False}
    assert cite_fact("cpaas_vendors", facts) == "Uses CPaaS: Twilio, Vonage"
    assert cite_fact("business_model", facts) == "Business model: B2B"
    assert cite_fact("has_login", facts) == "Website has customer logins"
    assert cite_fact("hiring", facts) is None and cite_fact("industry", facts) is None
    assert cite_fact("contact_centre_vendors", {"contact_centre_vendors": []}) is None


WEBSITE = {
    "has_online_booking": True, "has_call_centre": True, "has_phone_number": True, "has_chat_widget": False,
    "has_login": False, "has_payments": True, "cpaas_vendors": ["Twilio"], "contact_centre_vendors": [],
    "voice_ai_indicators": ["ivr", "voice bots"], "business_model": ["b2b", "saas"], "parked_domain": False,
    "sources": {"has_online_booking": "website"},
}  # fmt: skip
ENRICHMENT_FEATURES = tuple(name for name in FEATURE_NAMES if SPECS[name].fact)


def test_enrichment_facts_flow_into_features() -> None:
    features = build_features(CompanyFacts(domain="acme.com", enrichment=WEBSITE), None, [], NOW)
    assert {name: features[name] for name in ENRICHMENT_FEATURES} == {
        "website_online_booking": True, "website_call_centre": True, "website_chat_widget": False,
        "website_login": False, "website_payments": True, "website_voice_ai_indicators": 2.0,
        "uses_cpaas_vendor": True, "uses_contact_centre_vendor": False, "parked_domain": False,
        "business_model_b2b": True,
    }  # fmt: skip
    frame = features_frame([features])
    assert frame.loc[0, "website_voice_ai_indicators"] == 2.0 and frame.loc[0, "website_chat_widget"] == 0.0
    assert not build_features(CompanyFacts(enrichment={"business_model": ["b2c"]}), None, [], NOW)["business_model_b2b"]


def test_enrichment_features_have_sentences_without_raw_names() -> None:
    for name in ENRICHMENT_FEATURES:
        spec = SPECS[name]
        assert spec.fact in FACT_KEYS and spec.missing == "nan", name
        for value in (True, False, None) if spec.kind == "bool" else (3.0, 0.0, None):
            assert "_" not in spec.sentence(value), (name, value)


def test_missing_enrichment_is_unknown_not_false() -> None:
    never = build_features(CompanyFacts(domain="acme.com"), None, [], NOW)
    csv_only = build_features(CompanyFacts(domain="acme.com", enrichment={"industry": "Dental"}), None, [], NOW)
    garbled = {"has_online_booking": "yes", "cpaas_vendors": "Twilio", "business_model": [], "parked_domain": None}
    bad = build_features(CompanyFacts(domain="acme.com", enrichment=garbled), None, [], NOW)
    for features in (never, csv_only, bad):
        assert all(features[name] is None for name in ENRICHMENT_FEATURES)
    assert np.isnan(encode_row(never)[0, [FEATURE_INDEX[name] for name in ENRICHMENT_FEATURES]]).all()
    assert features_frame([never])[list(ENRICHMENT_FEATURES)].isna().all(axis=None)


def test_missing_enrichment_changes_neither_score_nor_confidence(prior_scorer: Scorer) -> None:
    company = {"name": "Acme", "domain": "acme.com", "industry": "Logistics", "employees": 250}
    lead = LeadFacts(title="VP Operations", urgency_level=4)
    plain = prior_scorer.score_facts(CompanyFacts(**company), lead, [], now=NOW)
    csv_only = prior_scorer.score_facts(
        CompanyFacts(**company, enrichment={"industry": "Logistics", "sources": {"industry": "csv"}}), lead, [], now=NOW
    )
    assert csv_only.model_dump(exclude={"scored_at"}) == plain.model_dump(exclude={"scored_at"})
    assert not any("website" in text.lower() for text in [*plain.reasoning, *plain.warnings])


def test_reasons_cite_the_enrichment_facts(prior_scorer: Scorer) -> None:
    company = CompanyFacts(name="Acme", domain="acme.com", industry="Healthcare", employees=300, enrichment=WEBSITE)
    result = prior_scorer.score_facts(company, LeadFacts(title="VP Operations"), [], now=NOW)
    assert "Website has a call-centre number and online booking (raises the score)" in result.reasoning
    assert sum(text.startswith("Website has") for text in result.reasoning) == 1
    cited = {factor.feature: factor.text for factor in result.factors}
    assert cited["website_call_centre"] == "Website has a call-centre number"
    assert not any(factor.feature == "website_chat_widget" for factor in result.factors)


def test_enrichment_factors_cite_vendors_and_indicators() -> None:
    factors = [
        Factor(feature="uses_cpaas_vendor", value=True, contribution=0.4, text="Uses a CPaaS vendor"),
        Factor(feature="website_voice_ai_indicators", value=2.0, contribution=0.3, text="x"),
        Factor(feature="uses_contact_centre_vendor", value=False, contribution=-0.2, text="No contact-centre software"),
        Factor(feature="industry", value="healthcare", contribution=0.1, text="Industry: healthcare"),
    ]
    assert [f.text for f in cite_enrichment(factors, WEBSITE)] == [
        "Uses CPaaS: Twilio",
        "Website mentions Voice AI: ivr, voice bots",
        "No contact-centre software",
        "Industry: healthcare",
    ]


def test_website_flags_pushing_opposite_ways_get_separate_sentences() -> None:
    factors = [
        Factor(feature="website_call_centre", value=True, contribution=0.5, text="Website has a call-centre number"),
        Factor(feature="website_login", value=True, contribution=-0.3, text="Website has customer logins"),
        Factor(feature="website_online_booking", value=True, contribution=0.2, text="Website has online booking"),
    ]
    config = load_scoring_config().explanation
    assert reasoning(factors, [], [], config) == [
        "Website has a call-centre number and online booking (raises the score)",
        "Website has customer logins (lowers the score)",
    ]


def test_parked_domain_without_calls_is_capped(prior_scorer: Scorer) -> None:
    parked = {"parked_domain": True, "has_login": False, "cpaas_vendors": [], "business_model": []}
    company = CompanyFacts(name="Acme", domain="acme.com", industry="Healthcare", employees=5000, enrichment=parked)
    lead = LeadFacts(title="Chief Executive Officer", source="referral", urgency_level=5)
    result = prior_scorer.score_facts(company, lead, [], now=NOW)
    assert [rule.rule_id for rule in result.rules_fired] == ["parked_domain"]
    assert result.qualification_score == round(100 * result.progression_probability) > 30
    assert result.recommendation == Recommendation.SELF_SERVICE and result.handoff_basis == "rule"
    assert result.reasoning[1] == "Routed by a rule (below), not by the score."
    assert result.reasoning[2].startswith("The company's domain is parked")
    live = prior_scorer.score_facts(replace(company, enrichment={}), lead, [], now=NOW)
    assert not live.rules_fired and live.qualification_score > 30
    call = CallFacts(1, NOW - timedelta(days=1), "We need pricing", CallSignals(pricing_requested=True))
    spoken = prior_scorer.score_facts(company, lead, [call], now=NOW)
    assert "parked_domain" not in [rule.rule_id for rule in spoken.rules_fired]
