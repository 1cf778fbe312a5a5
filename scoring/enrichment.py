"""Company enrichment facts as scoring reads them: the keys, how providers' results merge, what is material,
and the sentences that cite them ("Website has online booking and a call-centre number").

One source of truth for fact names: `FACTS` lists every key scoring may read, with the phrase used when
citing it. The providers that produce the facts live in `crm_sync.enrichment`; this module only reads the
stored results (via `store.repositories.enrichment`), so the scorer can use them without importing crm_sync.
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
FACT_PHRASES: dict[str, str] = {fact.key: fact.phrase for fact in FACTS}
FIRMOGRAPHIC_KEYS = ("industry", "employees", "annual_revenue", "country", "funding_stage", "description")
# Provider precedence when the caller has no enrichment configuration at hand (config/enrichment.yaml).
DEFAULT_PROVIDER_ORDER: tuple[str, ...] = ("salesforce", "csv", "website")
WEBSITE_FLAGS = ("has_online_booking", "has_call_centre", "has_phone_number", "has_chat_widget", "has_login",
                 "has_payments", "has_pricing", "hiring")  # fmt: skip
_SIZE_BANDS = (10, 50, 200, 1000, 5000)
_MODEL_NAMES = {"b2b": "B2B", "b2c": "B2C", "marketplace": "marketplace", "saas": "SaaS"}


def is_known(value: Any) -> bool:
    """True when a provider actually reported the fact (None and empty text mean 'not found out')."""
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
            if key not in merged and is_known(data.get(key)):
                merged[key] = data[key]
                sources[key] = provider
    merged["sources"] = sources
    return merged


def enrichment_facts(
    company_id: int, *, session: Session, order: Sequence[str] = DEFAULT_PROVIDER_ORDER
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


def website_has(keys: Sequence[str]) -> str:
    """One sentence for several website flags ("Website has online booking and a call-centre number")."""
    phrases = [FACT_PHRASES[key] for key in keys]
    if "a call-centre number" in phrases and "a phone number" in phrases:
        phrases.remove("a phone number")
    return f"Website has {_join(phrases)}"


def cite_fact(key: str, facts: Mapping[str, Any]) -> str | None:
    """The sentence citing one fact's value (None when the fact is unknown, false or empty)."""
    value: Any = facts.get(key)
    if not is_known(value) or value is False or value == []:
        return None
    if key in WEBSITE_FLAGS:
        return website_has([key])
    if key == "business_model":
        return FACT_PHRASES[key].format(value=", ".join(_MODEL_NAMES.get(str(m), str(m)) for m in value))
    if isinstance(value, list):
        return FACT_PHRASES[key].format(value=", ".join(str(item) for item in value))
    return FACT_PHRASES[key].format(value=value)


def fact_sentences(facts: Mapping[str, Any]) -> list[str]:
    """Plain sentences citing the facts, most useful for a sales conversation first."""
    if facts.get("parked_domain"):
        return [FACT_PHRASES["parked_domain"]]
    sentences: list[str] = []
    flags = [key for key in WEBSITE_FLAGS if facts.get(key)]
    if flags:
        sentences.append(website_has(flags))
    for key in ("voice_ai_indicators", "cpaas_vendors", "contact_centre_vendors", "business_model"):
        sentence = cite_fact(key, facts)
        if sentence:
            sentences.append(sentence)
    firmographics = [
        FACT_PHRASES[key].format(value=facts[key])
        for key in ("industry", "employees", "funding_stage", "country")
        if is_known(facts.get(key))
    ]
    if firmographics:
        text = "; ".join(firmographics)
        sentences.append(text[0].upper() + text[1:])
    return sentences
