"""Parse a qualify target (Slack's `/qualify` and `fellow qualify`): help, a domain (or URL/email), a Salesforce
Lead Id or Lead URL, or a company name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from store.normalize import SALESFORCE_ID, InvalidDomainError, normalize_domain, salesforce_id18

MAX_INPUT_CHARS = 300
MAX_NAME_CHARS = 200
SHARE_WORDS = frozenset({"share", "--share", "public"})
HELP_WORDS = frozenset({"help", "-h", "--help", "?"})
_SLACK_LINK = re.compile(r"<(?:mailto:)?([^<>|]+)(?:\|([^<>]*))?>")
_LEAD_PREFIX = "00Q"
_SALESFORCE_URL = re.compile(
    r"^https?://[^/\s]+\.(?:salesforce|force)\.com/.*?\b(00Q[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\b", re.IGNORECASE
)
_LOOKS_LIKE_DOMAIN = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[^\s/@]*\.[^\s]+$|^[^\s@]+@[^\s@]+$", re.IGNORECASE)

Kind = Literal["help", "invalid", "domain", "lead_id", "name"]


@dataclass(frozen=True)
class QualifyCommand:
    """What the user asked for: `kind`, the cleaned `value`, and whether to share the card in the channel."""

    kind: Kind
    value: str = ""
    share: bool = False
    problem: str | None = None

    @property
    def label(self) -> str:
        """How to name the target back to the user."""
        return self.value


def _unwrap_links(text: str) -> str:
    """Slack may send `<http://acme.com|acme.com>` or `<mailto:a@b.com|a@b.com>`; keep the target."""
    return _SLACK_LINK.sub(lambda m: m.group(1), text)


def parse_qualify(text: str | None) -> QualifyCommand:
    """Classify the /qualify argument; never raises (bad input becomes kind 'invalid' with a problem)."""
    raw = " ".join((text or "").split())
    if not raw or raw.lower() in HELP_WORDS:
        return QualifyCommand("help")
    if len(raw) > MAX_INPUT_CHARS * 4:
        return QualifyCommand("invalid", problem=f"That is {len(raw):,} characters; give a domain, name or Lead Id.")
    words = _unwrap_links(raw).split(" ")
    share = len(words) > 1 and (words[-1].lower() in SHARE_WORDS or words[0].lower() in SHARE_WORDS)
    if share:
        words = words[:-1] if words[-1].lower() in SHARE_WORDS else words[1:]
    value = " ".join(words).strip()
    if len(value) > MAX_INPUT_CHARS:
        return QualifyCommand("invalid", problem=f"That is {len(value):,} characters; give a domain, name or Lead Id.")
    if SALESFORCE_ID.match(value) and value.startswith(_LEAD_PREFIX):
        return QualifyCommand("lead_id", salesforce_id18(value), share)
    if url := _SALESFORCE_URL.match(value):
        return QualifyCommand("lead_id", salesforce_id18(url.group(1)), share)
    if " " not in value and _LOOKS_LIKE_DOMAIN.match(value):
        try:
            return QualifyCommand("domain", normalize_domain(value), share)
        except InvalidDomainError:
            return QualifyCommand("invalid", problem="That does not look like a valid domain.")
    if len(value) > MAX_NAME_CHARS:
        return QualifyCommand("invalid", problem=f"Company names are at most {MAX_NAME_CHARS} characters.")
    return QualifyCommand("name", value, share)
