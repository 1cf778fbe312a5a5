"""Functional signals, tech stack, Voice AI indicators and business model from a company's fetched pages."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import yaml

from crm_sync.enrichment.html_reader import PageParts

CATALOG_PATH = Path(__file__).with_name("website_signals.yaml")
_PHONE = re.compile(r"(?<![\w/.-])(\+?\(?\d{1,4}\)?(?:[\s.-]\(?\d{2,4}\)?){2,4})(?![\w/-])")
_TOLL_FREE = re.compile(r"^(?:\+?1)?(800|888|877|866|855|844|833)\d{7}$")
_PLURAL = r"(?:s|es)?(?!\w)"
_MODEL_MIN_PHRASES = 2
_MAX_DESCRIPTION = 300
_MAX_PHONES = 5


@dataclass(frozen=True, slots=True)
class TechPattern:
    """A product recognisable from markup."""

    name: str
    category: str
    patterns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SignalCatalog:
    """The phrases and tech patterns of website_signals.yaml, compiled."""

    tech: tuple[TechPattern, ...]
    phrases: dict[str, tuple[re.Pattern[str], ...]]


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    escaped = re.escape(phrase.lower())
    return re.compile(rf"(?<!\w){escaped}{_PLURAL}")


@functools.cache
def load_catalog(path: Path = CATALOG_PATH) -> SignalCatalog:
    """Load and compile the signal catalogue (cached: it is read once per process)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    tech = tuple(
        TechPattern(item["name"], item["category"], tuple(p.lower() for p in item["patterns"]))
        for item in raw["tech_stack"]
    )
    phrases = {group: tuple(_phrase_pattern(p) for p in items) for group, items in raw["phrases"].items()}
    return SignalCatalog(tech, phrases)


def _phrase_text(pattern: re.Pattern[str]) -> str:
    return re.sub(r"\\(.)", r"\1", pattern.pattern.removeprefix(r"(?<!\w)").removesuffix(_PLURAL))


def _found(catalog: SignalCatalog, group: str, text: str) -> list[str]:
    return [_phrase_text(pattern) for pattern in catalog.phrases[group] if pattern.search(text)]


def phone_numbers(parts: PageParts) -> list[str]:
    """Phone numbers from tel: links and from the visible text (9-15 digits)."""
    found: list[str] = []
    candidates = [link[4:] for link in parts.links if link.lower().startswith("tel:")]
    candidates += [match.group(1) for match in _PHONE.finditer(parts.text)]
    for candidate in candidates:
        digits = re.sub(r"\D", "", candidate)
        if 9 <= len(digits) <= 15 and candidate.strip() not in found:
            found.append(candidate.strip())
    return found


def describe(parts: PageParts) -> str | None:
    """A short description: the meta description, else the first substantial paragraph."""
    text = parts.meta_description or next((p for p in parts.paragraphs if len(p) >= 40), "")
    if not text:
        return None
    if len(text) <= _MAX_DESCRIPTION:
        return text
    return text[: _MAX_DESCRIPTION - 1].rsplit(" ", 1)[0] + "…"


def extract_signals(pages: dict[str, PageParts], catalog: SignalCatalog | None = None) -> dict[str, object]:
    """Merge the signals of every fetched page (keyed by path) into website facts plus where each was seen."""
    catalog = catalog or load_catalog()
    evidence: dict[str, str] = {}
    tech: dict[str, str] = {}
    phones: list[str] = []
    groups: dict[str, list[str]] = {group: [] for group in catalog.phrases}
    for path, parts in pages.items():
        text = " ".join([parts.title, parts.text, *parts.link_texts]).lower()
        refs = parts.markup_refs
        for item in catalog.tech:
            if item.name not in tech and any(pattern in refs for pattern in item.patterns):
                tech[item.name] = item.category
                evidence.setdefault(f"tech:{item.category}", f"{path}: {item.name}")
        for group in catalog.phrases:
            for phrase in _found(catalog, group, text):
                if phrase not in groups[group]:
                    groups[group].append(phrase)
                    evidence.setdefault(group, f"{path}: '{phrase}'")
        for number in phone_numbers(parts):
            if number not in phones:
                phones.append(number)
                evidence.setdefault("phone", f"{path}: {number}")
        if "password" in parts.input_types:
            evidence.setdefault("login", f"{path}: password field")
            groups["login"].append("password field")
    categories = set(tech.values())
    toll_free = any(_TOLL_FREE.match(re.sub(r"\D", "", number)) for number in phones)
    home = pages.get("/") or next(iter(pages.values()), PageParts())
    parked = bool(groups["parked"]) or "parking" in categories
    facts: dict[str, object] = {
        "has_login": bool(groups["login"]),
        "has_payments": bool(groups["payments"]) or "payments" in categories,
        "has_pricing": bool(groups["pricing"]) or "/pricing" in pages,
        "has_phone_number": bool(phones),
        "phone_numbers": phones[:_MAX_PHONES],
        "has_call_centre": bool(groups["call_centre"]) or toll_free or "contact_centre" in categories,
        "has_chat_widget": bool(groups["chat"]) or "chat" in categories,
        "has_online_booking": bool(groups["booking"]) or "booking" in categories,
        "tech_stack": sorted(tech),
        "cpaas_vendors": sorted(name for name, category in tech.items() if category == "cpaas"),
        "contact_centre_vendors": sorted(name for name, category in tech.items() if category == "contact_centre"),
        "voice_ai_indicators": groups["voice_ai"] + sorted(n for n, c in tech.items() if c == "voice_ai"),
        "business_model": [
            model for model in ("b2b", "b2c", "marketplace", "saas") if len(groups[model]) >= _MODEL_MIN_PHRASES
        ],
        "hiring": bool(groups["hiring"]),
        "parked_domain": parked,
        "title": home.title or None,
        "description": None if parked else describe(home),
        "evidence": evidence,
    }
    return _parked(facts) if parked else facts


def _parked(facts: dict[str, object]) -> dict[str, object]:
    """A parking page's buttons and ads say nothing about a business: keep only the parked flag and title."""
    cleared = {
        key: (False if isinstance(value, bool) else [] if isinstance(value, list) else value)
        for key, value in facts.items()
    }
    cleared["parked_domain"] = True
    evidence = cast(dict[str, str], facts["evidence"])  # extract_signals always stores a dict there
    cleared["evidence"] = {"parked": evidence.get("parked", "parking service")}
    return cleared
