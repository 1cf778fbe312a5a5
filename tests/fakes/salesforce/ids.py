"""Salesforce record ids: 15-character base id plus the real 3-character case-safe checksum suffix."""

from __future__ import annotations

import string

_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
_SUFFIX = string.ascii_uppercase + "012345"
KEY_PREFIXES = {
    "Lead": "00Q", "Opportunity": "006", "Account": "001", "Contact": "003", "User": "005", "LeadHistory": "017",
    "Product2": "01t", "OpportunityLineItem": "00k",
}  # fmt: skip


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rem = divmod(number, 62)
        digits.append(_ALPHABET[rem])
    return "".join(reversed(digits))


def checksum(id15: str) -> str:
    """The 3 suffix characters Salesforce appends to make a 15-char id case-insensitive-safe."""
    out = []
    for start in range(0, 15, 5):
        chunk = id15[start : start + 5]
        bits = sum(1 << i for i, ch in enumerate(chunk) if ch.isupper())
        out.append(_SUFFIX[bits])
    return "".join(out)


def make_id(prefix: str, number: int) -> str:
    """An 18-character id: 3-char key prefix, "5g" pod marker, 10-char sequence, checksum."""
    id15 = f"{prefix}5g{_base62(number, 10)}"
    return id15 + checksum(id15)


def id15(record_id: str) -> str:
    """The case-sensitive 15-character form of a 15- or 18-character id."""
    return record_id[:15]


def looks_like_id(value: str) -> bool:
    """Whether a string is shaped like a Salesforce id (15 or 18 alphanumerics)."""
    return len(value) in (15, 18) and value.isalnum()


API_USER_ID = make_id("005", 1)  # the integration user every API session acts as
ADMIN_USER_ID = make_id("005", 2)  # the person whose edits `FakeSalesforce.edit` and seeding stand for
