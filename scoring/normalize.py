"""Normalizers that turn free-text firmographics into the fixed category levels the models use.

Every mapping here is a keyword table so an unknown value is visible (it maps to ``other`` and the caller
warns) instead of silently becoming a new category the model has never seen. The functions are pure and
memoised, since CRM values repeat heavily across leads.
"""

from __future__ import annotations

import re
from functools import lru_cache

OTHER = "other"

_INDUSTRY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "healthcare": ("health", "medic", "hospital", "clinic", "pharma", "biotech", "dental", "care"),
    "financial_services": ("financ", "fintech", "bank", "banking", "lending", "payment", "credit", "invest", "capital"),
    "insurance": ("insur",),
    "logistics": ("logistic", "shipping", "freight", "transport", "delivery", "supply chain", "trucking"),
    "retail_ecommerce": ("retail", "commerce", "shop", "store", "consumer goods", "marketplace"),
    "telecommunications": ("telecom", "telco", "carrier", "voip", "wireless", "communications", "isp"),
    "technology": (
        "software",
        "saas",
        "tech",
        "technolog",
        "internet",
        "cloud",
        "it services",
        "computer",
        "ai",
        "data",
    ),
    "education": ("educat", "school", "universit", "e-learning", "edtech", "training"),
    "real_estate": ("real estate", "property", "realty", "housing", "mortgage"),
    "hospitality_travel": ("hospitality", "hotel", "travel", "restaurant", "food", "tourism", "airline"),
    "professional_services": ("consult", "legal", "law", "accounting", "agency", "staffing", "recruit", "bpo"),
    "manufacturing": ("manufactur", "industrial", "machinery", "chemical", "electronics"),
    "media_entertainment": ("media", "entertainment", "gaming", "publishing", "advertising", "marketing"),
    "government_nonprofit": ("government", "public sector", "non-profit", "nonprofit", "charity", "ngo"),
    "automotive": ("automotive", "car dealer", "vehicle", "auto"),
    "energy_utilities": ("energy", "utilit", "oil", "gas", "solar", "power"),
}
INDUSTRY_LEVELS: tuple[str, ...] = (*_INDUSTRY_KEYWORDS, OTHER)

COUNTRY_LEVELS: tuple[str, ...] = ("us", "ca", "gb", "ie", "de", "fr", "nl", "es", "it", "au", "in", "br", "mx", OTHER)
_COUNTRY_ALIASES = {
    "usa": "us", "united states": "us", "united states of america": "us", "america": "us",
    "canada": "ca", "uk": "gb", "united kingdom": "gb", "great britain": "gb", "england": "gb",
    "ireland": "ie", "germany": "de", "deutschland": "de", "france": "fr", "netherlands": "nl",
    "the netherlands": "nl", "spain": "es", "italy": "it", "australia": "au", "india": "in", "brazil": "br",
    "mexico": "mx",
}  # fmt: skip

FUNDING_LEVELS: tuple[str, ...] = ("bootstrapped", "seed", "series_a", "series_b", "growth", "public", OTHER)
TITLE_LEVELS: tuple[str, ...] = ("executive", "vp", "director", "manager", "individual")
SOURCE_LEVELS: tuple[str, ...] = ("inbound", "referral", "event", "outbound", "paid", OTHER)

_TITLE_PATTERNS = (
    ("executive", re.compile(r"\b(ceo|cto|cfo|coo|cio|cmo|cro|chief|founder|co-?founder|owner|president)\b")),
    ("vp", re.compile(r"\b(vp|svp|evp|vice president)\b")),
    ("director", re.compile(r"\b(director|head of)\b")),
    ("manager", re.compile(r"\b(manager|lead|supervisor)\b")),
)
_SOURCE_KEYWORDS = (
    ("referral", ("referral", "partner", "reseller")),
    ("event", ("event", "webinar", "conference", "trade show", "tradeshow", "meetup")),
    ("paid", ("paid", "ppc", "adwords", "ads", "advert", "sponsored")),
    ("outbound", ("outbound", "cold", "prospect", "list", "sdr")),
    ("inbound", ("inbound", "web", "website", "signup", "sign-up", "form", "chat", "organic", "content")),
)
_FUNDING_PATTERNS = (
    ("public", re.compile(r"\b(public|ipo|listed|nasdaq|nyse)\b")),
    ("growth", re.compile(r"series[ _-]?[c-z]\b|\b(growth|late stage|private equity|pe[- ]backed)\b")),
    ("series_b", re.compile(r"series[ _-]?b\b")),
    ("series_a", re.compile(r"series[ _-]?a\b")),
    ("seed", re.compile(r"\b(seed|pre-seed|angel)\b")),
    ("bootstrapped", re.compile(r"\b(bootstrap\w*|self[- ]funded|none|unfunded)\b")),
)


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9&+-]+", " ", text.lower()).strip() + " "


@lru_cache(maxsize=4096)
def normalize_industry(raw: str | None) -> str | None:
    """Map free-text industry to one of INDUSTRY_LEVELS (``other`` when unrecognised, None when absent)."""
    if not raw or not raw.strip():
        return None
    text = _words(raw)
    if text.strip().replace(" ", "_") in _INDUSTRY_KEYWORDS:
        return text.strip().replace(" ", "_")
    for level, keywords in _INDUSTRY_KEYWORDS.items():
        if any(f" {k} " in text if len(k) <= 4 else k in text for k in keywords):
            return level
    return OTHER


@lru_cache(maxsize=4096)
def normalize_country(raw: str | None) -> str | None:
    """Map a country name or ISO code to one of COUNTRY_LEVELS."""
    if not raw or not raw.strip():
        return None
    text = raw.strip().lower().rstrip(".")
    code = _COUNTRY_ALIASES.get(text, text)
    return code if code in COUNTRY_LEVELS else OTHER


@lru_cache(maxsize=4096)
def normalize_title(raw: str | None) -> str | None:
    """Map a job title to a seniority level."""
    if not raw or not raw.strip():
        return None
    text = raw.lower()
    for level, pattern in _TITLE_PATTERNS:
        if pattern.search(text):
            return level
    return "individual"


@lru_cache(maxsize=4096)
def normalize_source(raw: str | None) -> str | None:
    """Map a CRM lead source to one of SOURCE_LEVELS."""
    if not raw or not raw.strip():
        return None
    text = _words(raw)
    for level, keywords in _SOURCE_KEYWORDS:
        if any(f" {k}" in text for k in keywords):
            return level
    return OTHER


@lru_cache(maxsize=4096)
def normalize_funding(raw: str | None) -> str | None:
    """Map a funding stage description to one of FUNDING_LEVELS."""
    if not raw or not raw.strip():
        return None
    text = raw.lower()
    for level, pattern in _FUNDING_PATTERNS:
        if pattern.search(text):
            return level
    return OTHER
