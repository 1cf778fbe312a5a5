"""Domain and email normalisation: one company per domain however it is spelled."""

from __future__ import annotations

import pytest

from store.normalize import InvalidDomainError, domain_from_email, is_free_mail, normalize_domain


@pytest.mark.parametrize(
    "value",
    [
        "acme.com",
        "ACME.COM",
        "www.acme.com",
        "https://www.Acme.com/pricing?x=1",
        "acme.com.",
        " acme.com ",
        "jo@Acme.com",
    ],
)
def test_spellings_of_one_domain_normalise_to_one_key(value: str) -> None:
    assert normalize_domain(value) == "acme.com"


def test_internationalised_domains_become_punycode() -> None:
    assert normalize_domain("münchen.de") == "xn--mnchen-3ya.de"


@pytest.mark.parametrize(
    "value", ["", "localhost", "10.0.0.1", "a..b", "foo bar.com", "-bad.com", "http://", ".[", "http://[::1"]
)
def test_invalid_domains_are_refused(value: str) -> None:
    with pytest.raises(InvalidDomainError):
        normalize_domain(value)


def test_email_helpers() -> None:
    assert domain_from_email("Jane.Doe@Sub.Acme.io") == "sub.acme.io"
    assert domain_from_email("no-at-sign") is None
    assert is_free_mail("gmail.com") and not is_free_mail("acme.com")
