"""The feature registry and the one feature-building path shared by training and scoring.

Each `FeatureSpec` names a feature, its kind, the plain sentence used in explanations and its missing-value
rule. `build_features` turns facts about one lead into a dict; `features_frame` turns many such dicts into a
DataFrame with fixed column order and categorical dtypes (what the learning loop trains on); `encode_row` and
`encode_frame` turn either into the float matrix the models, the prior and the rules read.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import numpy as np
import pandas as pd

from nlp import BOOLEAN_SIGNALS, URGENCY_LEVELS
from scoring.domain import CallFacts, CompanyFacts, LeadFacts
from scoring.enrichment import FACT_PHRASES, website_has
from scoring.normalize import (
    COUNTRY_LEVELS,
    FUNDING_LEVELS,
    INDUSTRY_LEVELS,
    SOURCE_LEVELS,
    TITLE_LEVELS,
    normalize_country,
    normalize_funding,
    normalize_industry,
    normalize_source,
    normalize_title,
)
from store.normalize import domain_from_email, is_free_mail

FeatureKind = Literal["numeric", "bool", "category"]
MissingRule = Literal["nan", "zero"]
FeatureValue = float | str | bool | None


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """One model feature: name, kind, explanation texts and what a missing value means.

    ``label`` is a short noun phrase ("company size"); ``text`` describes the feature when true/present
    (``{value}`` is replaced by the shown value); ``text_absent`` describes a false boolean.
    ``missing="nan"`` leaves unknown values missing for the model, ``"zero"`` means absence is itself
    information (no calls -> 0 calls). ``fact`` names the enrichment fact (`scoring.enrichment.FACT_KEYS`)
    an enrichment feature is read from, so explanations can cite the fact's value. ``trained=False`` keeps a
    feature out of trained models (the rule prior and explanations still read it) when the training snapshot
    fixes its value, so a model would learn nothing true about it and meet unseen values when serving.
    """

    name: str
    kind: FeatureKind
    label: str
    text: str
    text_absent: str = ""
    missing: MissingRule = "nan"
    levels: tuple[str, ...] = ()
    fact: str = ""
    trained: bool = True

    def sentence(self, value: FeatureValue) -> str:
        """The plain-language sentence for this feature at `value` (never the raw feature name)."""
        if value is None:
            return f"{self.label[0].upper()}{self.label[1:]} unknown"
        if self.kind == "bool":
            return self.text if bool(value) else (self.text_absent or f"No {self.label}")
        if self.text_absent and value == 0:
            return self.text_absent
        return self.text.format(value=display_value(self.name, value))


_SIGNAL_TEXTS: dict[str, tuple[str, str, str]] = {
    "product_voice_ai": ("Voice AI interest", "Interested in Voice AI on the call", "No Voice AI interest heard"),
    "product_voice": ("voice product interest", "Interested in voice/calling products", "No voice interest heard"),
    "product_messaging": ("messaging interest", "Interested in messaging (SMS/MMS)", "No messaging interest heard"),
    "product_wireless": ("wireless interest", "Interested in wireless/IoT connectivity", "No wireless interest"),
    "product_verify": ("verification interest", "Interested in verification/2FA", "No verification interest"),
    "pricing_requested": ("pricing discussion", "Pricing requested on the call", "Pricing was not discussed"),
    "next_meeting_scheduled": ("next meeting", "A next meeting is scheduled", "No next meeting scheduled"),
    "trial_or_poc": ("trial or POC", "Trial or proof of concept discussed", "No trial or proof of concept"),
    "decision_maker_present": ("decision maker", "A decision maker joined the call", "No decision maker on calls"),
    "budget_confirmed": ("budget", "Budget confirmed", "Budget not confirmed"),
    "no_budget": ("budget objection", "Prospect said there is no budget", "No budget objection raised"),
    "pain_point": ("pain point", "Clear pain point described", "No clear pain point described"),
    "not_interested": ("rejection", "Prospect said they are not interested", "No explicit rejection"),
    "existing_customer": ("customer status", "Already a customer", "Not an existing customer"),
}

_DESCRIPTION_KEYWORDS: dict[str, tuple[str, str, re.Pattern[str]]] = {
    "desc_ai_automation": (
        "Company works on AI or automation",
        "AI or automation",
        re.compile(r"\b(ai|artificial intelligence|machine learning|automat\w*|chatbots?|llms?|agents?)\b"),
    ),
    "desc_contact_center": (
        "Company runs a contact center or customer support",
        "a contact center",
        re.compile(r"\b(contact cent(?:er|re)s?|call cent(?:er|re)s?|customer (?:support|service)|helpdesk|ivr)\b"),
    ),
    "desc_telehealth": (
        "Company is in telehealth or patient communication",
        "telehealth or patients",
        re.compile(r"\b(tele-?health|tele-?medicine|patients?|clinics?|appointments?)\b"),
    ),
    "desc_logistics": (
        "Company is in logistics or delivery",
        "logistics",
        re.compile(r"\b(logistics|shipping|freight|deliver(?:y|ies)|fleet|dispatch|courier)\b"),
    ),
    "desc_fintech": (
        "Company is in fintech or payments",
        "fintech or payments",
        re.compile(r"\b(fintech|payments?|banking|lending|loans?|insurance|credit)\b"),
    ),
    "desc_ecommerce": (
        "Company sells online (e-commerce)",
        "e-commerce",
        re.compile(r"\b(e-?commerce|online (?:store|shop|retail)|marketplace|retailers?)\b"),
    ),
    "desc_messaging": (
        "Company sends customer messages or notifications",
        "customer messaging",
        re.compile(r"\b(sms|text messag\w*|notifications?|alerts?|reminders?|messaging)\b"),
    ),
    "desc_iot": (
        "Company builds connected (IoT) devices",
        "connected devices",
        re.compile(r"\b(iot|internet of things|connected devices?|sensors?|telematics|trackers?)\b"),
    ),
}

_URGENCY_RANK = {"low": 1, "medium": 2, "high": 3}


def _registry() -> tuple[FeatureSpec, ...]:
    firmographics = (
        FeatureSpec("industry", "category", "industry", "Industry: {value}", levels=INDUSTRY_LEVELS),
        FeatureSpec("employees", "numeric", "company size", "Company size: about {value} employees"),
        FeatureSpec("annual_revenue", "numeric", "annual revenue", "Annual revenue about ${value}"),
        FeatureSpec("funding_stage", "category", "funding stage", "Funding stage: {value}", levels=FUNDING_LEVELS),
        FeatureSpec("country", "category", "country", "Based in {value}", levels=COUNTRY_LEVELS),
        FeatureSpec(
            "free_mail_domain", "bool", "e-mail domain", "Uses a free e-mail domain", "Uses a company e-mail domain"
        ),
        FeatureSpec("company_known", "bool", "company", "Company identified", "No company identified", missing="zero"),
    )
    description = tuple(
        FeatureSpec(name, "bool", "company description", text, f"Description does not mention {absent}")
        for name, (text, absent, _) in _DESCRIPTION_KEYWORDS.items()
    )
    lead = (
        FeatureSpec(
            "title_seniority", "category", "contact seniority", "Contact seniority: {value}", levels=TITLE_LEVELS
        ),
        FeatureSpec("lead_source", "category", "lead source", "Lead source: {value}", levels=SOURCE_LEVELS),
        FeatureSpec("urgency_level", "numeric", "urgency rating", "Urgency rated {value} of 5"),
    )
    signals = tuple(
        FeatureSpec(name, "bool", *_SIGNAL_TEXTS.get(name, (name.replace("_", " "), name.replace("_", " "), "")))
        for name in BOOLEAN_SIGNALS
    )
    calls = (
        FeatureSpec(
            "call_urgency", "category", "urgency on calls", "Urgency on the call: {value}", levels=URGENCY_LEVELS
        ),
        FeatureSpec(
            "competitor_count", "numeric", "competitors", "Mentioned {value} competitor(s)", "No competitors mentioned"
        ),
        FeatureSpec("monthly_volume", "numeric", "monthly volume", "Stated volume of about {value} per month"),
        FeatureSpec("sentiment", "numeric", "call sentiment", "Call sentiment {value} (-1 to 1)"),
        FeatureSpec("prospect_talk_ratio", "numeric", "talk ratio", "Prospect did {value} of the talking"),
        FeatureSpec(
            "call_count", "numeric", "calls", "{value} call(s) with the prospect", "No calls yet", missing="zero"
        ),
        FeatureSpec("days_since_last_call", "numeric", "last call date", "Last call {value} days ago", trained=False),
        FeatureSpec(
            "notes_words", "numeric", "call notes", "{value} words of call notes", "No call notes", missing="zero"
        ),
    )
    return firmographics + description + lead + signals + calls + _enrichment_specs()


def _enrichment_specs() -> tuple[FeatureSpec, ...]:
    """Features read from the company's enrichment facts; unknown (NaN) when the company was never enriched."""
    flags = tuple(
        FeatureSpec(name, "bool", label, website_has([fact]), f"No {label}", fact=fact)
        for name, fact, label in (
            ("website_online_booking", "has_online_booking", "online booking on the website"),
            ("website_call_centre", "has_call_centre", "call-centre number on the website"),
            ("website_chat_widget", "has_chat_widget", "live chat on the website"),
            ("website_login", "has_login", "customer login on the website"),
            ("website_payments", "has_payments", "online payments on the website"),
        )
    )
    return (
        *flags,
        FeatureSpec(
            "website_voice_ai_indicators", "numeric", "Voice AI mentions on the website",
            "Website mentions Voice AI ({value} indicator(s))", "Website does not mention Voice AI",
            fact="voice_ai_indicators",
        ),
        FeatureSpec(
            "uses_cpaas_vendor", "bool", "CPaaS vendor", "Uses a CPaaS vendor", "No CPaaS vendor seen on the website",
            fact="cpaas_vendors",
        ),
        FeatureSpec(
            "uses_contact_centre_vendor", "bool", "contact-centre software", "Uses contact-centre software",
            "No contact-centre software seen on the website", fact="contact_centre_vendors",
        ),
        FeatureSpec(
            "parked_domain", "bool", "website", FACT_PHRASES["parked_domain"], "Company has a live website",
            fact="parked_domain",
        ),
        FeatureSpec(
            "business_model_b2b", "bool", "business model", "Sells to businesses (B2B)",
            "Website does not read as B2B", fact="business_model",
        ),
    )  # fmt: skip


FEATURES: tuple[FeatureSpec, ...] = _registry()
FEATURE_NAMES: tuple[str, ...] = tuple(spec.name for spec in FEATURES)
TRAINED_FEATURE_NAMES: tuple[str, ...] = tuple(spec.name for spec in FEATURES if spec.trained)
FEATURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(FEATURE_NAMES)}
SPECS: dict[str, FeatureSpec] = {spec.name: spec for spec in FEATURES}
CATEGORY_LEVELS: dict[str, tuple[str, ...]] = {s.name: s.levels for s in FEATURES if s.kind == "category"}
_LEVEL_CODES: dict[str, dict[str, int]] = {
    name: {level: i for i, level in enumerate(levels)} for name, levels in CATEGORY_LEVELS.items()
}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _company_features(company: CompanyFacts, lead: LeadFacts) -> dict[str, FeatureValue]:
    mail_domain = company.domain or (domain_from_email(lead.email) if lead.email else None)
    free_mail = None if mail_domain is None else is_free_mail(mail_domain)
    known = bool(company.name) or (company.domain is not None and not is_free_mail(company.domain))
    features: dict[str, FeatureValue] = {
        "industry": normalize_industry(company.industry),
        "employees": None if company.employees is None else float(company.employees),
        "annual_revenue": company.annual_revenue,
        "funding_stage": normalize_funding(company.funding_stage),
        "country": normalize_country(company.country),
        "free_mail_domain": free_mail,
        "company_known": known,
        "title_seniority": normalize_title(lead.title),
        "lead_source": normalize_source(lead.source),
        "urgency_level": None if lead.urgency_level is None else float(lead.urgency_level),
    }
    description = company.description.lower() if company.description else None
    for name, (_, _, pattern) in _DESCRIPTION_KEYWORDS.items():
        features[name] = None if description is None else bool(pattern.search(description))
    return features


def _flag(facts: Mapping[str, object], key: str) -> bool | None:
    value = facts.get(key)
    return value if isinstance(value, bool) else None


def _listed(facts: Mapping[str, object], key: str) -> list[str] | None:
    value = facts.get(key)
    return [str(item).lower() for item in value] if isinstance(value, list | tuple) else None


def _enrichment_features(facts: Mapping[str, object]) -> dict[str, FeatureValue]:
    """Enrichment features; a fact no provider reported (or of the wrong type) stays unknown, never False."""
    indicators = _listed(facts, "voice_ai_indicators")
    cpaas = _listed(facts, "cpaas_vendors")
    contact_centre = _listed(facts, "contact_centre_vendors")
    models = _listed(facts, "business_model")
    return {
        "website_online_booking": _flag(facts, "has_online_booking"),
        "website_call_centre": _flag(facts, "has_call_centre"),
        "website_chat_widget": _flag(facts, "has_chat_widget"),
        "website_login": _flag(facts, "has_login"),
        "website_payments": _flag(facts, "has_payments"),
        "website_voice_ai_indicators": None if indicators is None else float(len(indicators)),
        "uses_cpaas_vendor": None if cpaas is None else bool(cpaas),
        "uses_contact_centre_vendor": None if contact_centre is None else bool(contact_centre),
        "parked_domain": _flag(facts, "parked_domain"),
        "business_model_b2b": ("b2b" in models) if models else None,
    }


def _call_features(calls: Sequence[CallFacts], now: datetime) -> dict[str, FeatureValue]:
    signals = [call.signals for call in calls if call.signals is not None]
    dates = [_utc(call.started_at) for call in calls if call.started_at is not None]
    features: dict[str, FeatureValue] = {
        "call_count": float(len(calls)),
        "notes_words": float(sum(len(call.notes.split()) for call in calls if call.notes)),
        "days_since_last_call": max(0.0, (_utc(now) - max(dates)).total_seconds() / 86400) if dates else None,
    }
    if not signals:
        return features | {name: None for name in BOOLEAN_SIGNALS}
    for name in BOOLEAN_SIGNALS:
        features[name] = any(getattr(s, name) for s in signals)
    urgencies = [s.urgency for s in signals if s.urgency in _URGENCY_RANK]
    volumes = [s.volume_per_month for s in signals if s.volume_per_month is not None]
    ratios = [s.prospect_talk_ratio for s in signals if s.prospect_talk_ratio is not None]
    features["call_urgency"] = max(urgencies, key=_URGENCY_RANK.__getitem__) if urgencies else None
    features["competitor_count"] = float(len({c.lower() for s in signals for c in s.competitors}))
    features["monthly_volume"] = max(volumes) if volumes else None
    features["sentiment"] = sum(s.sentiment for s in signals) / len(signals)
    features["prospect_talk_ratio"] = sum(ratios) / len(ratios) if ratios else None
    return features


def build_features(
    company: CompanyFacts | None, lead: LeadFacts | None, calls: Sequence[CallFacts], now: datetime
) -> dict[str, FeatureValue]:
    """Build one lead's feature dict (every FEATURE_NAMES key; None = missing) from what was known at `now`.

    Callers must pass only calls that happened before `now` so training rows never see the future.
    """
    company = company or CompanyFacts()
    features = _company_features(company, lead or LeadFacts())
    if company.enrichment:
        features |= _enrichment_features(company.enrichment)
    features |= _call_features([c for c in calls if c.started_at is None or _utc(c.started_at) <= _utc(now)], now)
    row: dict[str, FeatureValue] = dict.fromkeys(FEATURE_NAMES)
    row.update(features)
    return row


def features_frame(rows: Iterable[Mapping[str, FeatureValue]]) -> pd.DataFrame:
    """Stack feature dicts into a DataFrame: FEATURE_NAMES column order, float64 numeric/bool columns
    (bool as 1.0/0.0, missing as NaN) and categorical columns with the registry's fixed levels."""
    frame = pd.DataFrame.from_records(list(rows), columns=list(FEATURE_NAMES))
    columns: dict[str, pd.Series | pd.Categorical] = {}
    for spec in FEATURES:
        column = frame[spec.name]
        if spec.kind == "category":
            columns[spec.name] = pd.Categorical(column.where(column.notna(), None), categories=spec.levels)
        else:
            numeric = column.astype("float64")
            columns[spec.name] = numeric.fillna(0.0) if spec.missing == "zero" else numeric
    return pd.DataFrame(columns, index=frame.index)


def frame_digest(frame: pd.DataFrame, labels: Sequence[float] | np.ndarray | None = None) -> str:
    """Stable SHA-256 of a features frame (and optional labels): the data hash recorded with a model."""
    digest = hashlib.sha256(",".join(frame.columns).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    if labels is not None:
        digest.update(np.asarray(labels, dtype=np.float64).tobytes())
    return digest.hexdigest()


def encode_frame(frame: pd.DataFrame) -> np.ndarray:
    """Encode a features_frame into a float64 matrix (categories as level codes, missing as NaN)."""
    matrix = np.empty((len(frame), len(FEATURE_NAMES)), dtype=np.float64)
    for j, spec in enumerate(FEATURES):
        column = frame[spec.name]
        if spec.kind == "category":
            codes = pd.Categorical(column, categories=spec.levels).codes.astype(np.float64)
            codes[codes < 0] = np.nan
            matrix[:, j] = codes
        else:
            matrix[:, j] = column.to_numpy(dtype=np.float64, na_value=np.nan)
    return matrix


def encode_row(features: Mapping[str, FeatureValue]) -> np.ndarray:
    """Encode one feature dict into a (1, n_features) float64 matrix, the fast path for single scores."""
    row = np.full((1, len(FEATURE_NAMES)), np.nan, dtype=np.float64)
    for j, spec in enumerate(FEATURES):
        value = features.get(spec.name)
        if value is None:
            if spec.missing == "zero":
                row[0, j] = 0.0
        elif spec.kind == "category":
            row[0, j] = _LEVEL_CODES[spec.name].get(str(value), math.nan)
        else:
            row[0, j] = float(value)
    return row


def display_value(name: str, value: FeatureValue) -> str:
    """Format a feature value for a sentence (thousands separators, percentages, readable levels)."""
    if value is None:
        return "unknown"
    if name == "prospect_talk_ratio":
        return f"{float(value):.0%}"
    if name == "sentiment":
        return f"{float(value):+.2f}"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.0f}"
    return str(value).replace("_", " ")
