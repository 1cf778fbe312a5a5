"""Enrichment facts for scoring and explanations: the keys, how providers' results merge, what is material.

One source of truth for fact names: `FACTS` lists every key scoring may read, with the phrase used when
citing it ("Website has online booking and a call-centre number").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session

from store.repositories.enrichment import enrichments_for_company

Kind = Literal["text", "number", "flag", "list"]


@dataclass(frozen=True, slots=True)
class Fact:
    """One enrichment fact: its key, value kind, and how a sentence cites it."""

    key: str
    kind: Kind
    phrase: str
    material: bool


FACTS: tuple[Fact, ...] = (
    Fact("industry", "text", "Industry: {value}", True),
    Fact("employees", "number", "{value:,} employees", True),
    Fact("annual_revenue", "number", "annual revenue ${value:,.0f}", False),
    Fact("country", "text", "based in {value}", False),
    Fact("funding_stage", "text", "funding stage {value}", True),
    Fact("website", "text", "website {value}", False),
    Fact("description", "text", "{value}", False),
    Fact("has_login", "flag", "customer logins", True),
    Fact("has_payments", "flag", "online payments", True),
    Fact("has_pricing", "flag", "published pricing", False),
    Fact("has_phone_number", "flag", "a phone number", True),
    Fact("has_call_centre", "flag", "a call-centre number", True),
    Fact("has_chat_widget", "flag", "a live-chat widget", True),
    Fact("has_online_booking", "flag", "online booking", True),
    Fact("hiring", "flag", "open job listings", False),
    Fact("parked_domain", "flag", "Domain is parked (no real website)", True),
    Fact("tech_stack", "list", "Website uses {value}", False),
    Fact("cpaas_vendors", "list", "Uses CPaaS: {value}", True),
    Fact("contact_centre_vendors", "list", "Uses contact-centre software: {value}", True),
    Fact("voice_ai_indicators", "list", "Website mentions Voice AI: {value}", True),
    Fact("business_model", "list", "Business model: {value}", True),
)
FACT_KEYS: tuple[str, ...] = tuple(fact.key for fact in FACTS)
FIRMOGRAPHIC_KEYS = ("industry", "employees", "annual_revenue", "country", "funding_stage", "description")
_BY_KEY = {fact.key: fact for fact in FACTS}
_WEBSITE_FLAGS = ("has_online_booking", "has_call_centre", "has_phone_number", "has_chat_widget", "has_login",
                  "has_payments", "has_pricing", "hiring")  # fmt: skip
_SIZE_BANDS = (10, 50, 200, 1000, 5000)
_MODEL_NAMES = {"b2b": "B2B", "b2c": "B2C", "marketplace": "marketplace", "saas": "SaaS"}


def _known(value: Any) -> bool:
    return value is not None and value != ""


def merge_facts(results: Iterable[tuple[str, Mapping[str, Any]]], order: Sequence[str]) -> dict[str, Any]:
    """Merge (provider, data) pairs: for each fact the first provider in `order` that knows it wins.

    The result holds the fact keys plus `sources` ({fact: provider}) so callers can say where a fact came from.
    """
    rank = {name: index for index, name in enumerate(order)}
    ranked = sorted(results, key=lambda item: rank.get(item[0], len(rank)))
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for provider, data in ranked:
        for key in FACT_KEYS:
            if key not in merged and _known(data.get(key)):
                merged[key] = data[key]
                sources[key] = provider
    merged["sources"] = sources
    return merged


def enrichment_facts(
    company_id: int, *, session: Session, order: Sequence[str] = ("salesforce", "csv", "website")
) -> dict[str, Any]:
    """The merged facts stored for a company (a failed refresh keeps serving the provider's last good data)."""
    rows = [(row.provider, row.data) for row in enrichments_for_company(company_id, session=session)]
    return merge_facts(rows, order)


def _size_band(value: Any) -> int | None:
    if not isinstance(value, int | float):
        return None
    return sum(value > edge for edge in _SIZE_BANDS)


def _comparable(key: str, value: Any) -> Any:
    if key == "employees":
        return _size_band(value)
    if isinstance(value, list):
        return frozenset(str(item).lower() for item in value)
    if isinstance(value, str):
        return value.strip().lower()
    return value


def material_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The material fact keys whose value changed (employees only when the size band changes)."""
    return [
        fact.key
        for fact in FACTS
        if fact.material and _comparable(fact.key, before.get(fact.key)) != _comparable(fact.key, after.get(fact.key))
    ]


def is_material_change(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """True when enrichment changed something scoring uses enough to re-score the company's leads."""
    return bool(material_changes(before, after))


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def fact_sentences(facts: Mapping[str, Any]) -> list[str]:
    """Plain sentences citing the facts, most useful for a sales conversation first."""
    if facts.get("parked_domain"):
        return [_BY_KEY["parked_domain"].phrase]
    sentences: list[str] = []
    flags = [_BY_KEY[key].phrase for key in _WEBSITE_FLAGS if facts.get(key)]
    if "a call-centre number" in flags and "a phone number" in flags:
        flags.remove("a phone number")
    if flags:
        sentences.append(f"Website has {_join(flags)}")
    for key in ("voice_ai_indicators", "cpaas_vendors", "contact_centre_vendors"):
        if facts.get(key):
            sentences.append(_BY_KEY[key].phrase.format(value=", ".join(facts[key])))
    if facts.get("business_model"):
        models = [_MODEL_NAMES.get(model, model) for model in facts["business_model"]]
        sentences.append(_BY_KEY["business_model"].phrase.format(value=", ".join(models)))
    firmographics = [
        _BY_KEY[key].phrase.format(value=facts[key])
        for key in ("industry", "employees", "funding_stage", "country")
        if _known(facts.get(key))
    ]
    if firmographics:
        text = "; ".join(firmographics)
        sentences.append(text[0].upper() + text[1:])
    return sentences
