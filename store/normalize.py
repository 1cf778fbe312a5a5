"""Normalisation of the identifiers that make records unique: company domains and emails."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "hotmail.com", "outlook.com",
        "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com",
        "gmx.com", "gmx.de", "mail.com", "zoho.com", "yandex.com", "yandex.ru", "qq.com", "163.com",
        "hey.com", "fastmail.com", "tutanota.com", "rediffmail.com",
    }
)  # fmt: skip

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InvalidDomainError(ValueError):
    """A value cannot be read as a company domain."""


def normalize_domain(value: str) -> str:
    """Turn 'https://WWW.Acme.com/path', 'acme.com.' or 'ACME.COM' into 'acme.com'.

    Internationalised names are converted to their ASCII (punycode) form so each company has one key.
    """
    text = value.strip().lower()
    if not text:
        raise InvalidDomainError("domain is empty")
    if "@" in text and "://" not in text:
        text = text.rsplit("@", 1)[1]
    try:
        host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    except ValueError:
        raise InvalidDomainError(f"{value!r} is not a valid domain") from None
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidDomainError(f"{value!r} is not a valid domain") from None
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InvalidDomainError(f"{value!r} is not a valid domain")
    return host


def domain_from_email(email: str) -> str | None:
    """The normalised domain of an email address, or None when it has none."""
    if "@" not in email:
        return None
    try:
        return normalize_domain(email.rsplit("@", 1)[1])
    except InvalidDomainError:
        return None


def is_free_mail(domain: str) -> bool:
    """True for consumer mailbox domains, which say nothing about a company."""
    return domain.lower() in FREE_MAIL_DOMAINS


def normalize_email(email: str) -> str:
    """Lower-case and trim an email address."""
    return email.strip().lower()


SALESFORCE_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
_ID_CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_id18(value: str) -> str:
    """The 18-character form of a Salesforce Id, as the API returns and we store it: a 15-character (case-sensitive)
    Id gets Salesforce's checksum suffix (one letter per 5 characters, from which of them are upper case)."""
    if not SALESFORCE_ID.match(value):
        raise ValueError(f"{value!r} is not a 15- or 18-character Salesforce Id")
    if len(value) == 18:
        return value
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, char in enumerate(value[start : start + 5]) if "A" <= char <= "Z")
        suffix += _ID_CHECKSUM_ALPHABET[bits]
    return value + suffix
