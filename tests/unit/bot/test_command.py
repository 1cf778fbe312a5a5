"""Parsing /qualify arguments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.command import parse_qualify


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("", "help", ""),
        ("  help ", "help", ""),
        ("acme.com", "domain", "acme.com"),
        ("https://WWW.Acme.com/pricing?x=1", "domain", "acme.com"),
        ("<http://acme.com|acme.com>", "domain", "acme.com"),
        ("<mailto:jane@acme.com|jane@acme.com>", "domain", "acme.com"),
        ("jane@acme.com", "domain", "acme.com"),
        ("00Q5e00000AbCdE", "lead_id", "00Q5e00000AbCdEEAV"),
        ("00Q5e00000AbCdEFGH", "lead_id", "00Q5e00000AbCdEFGH"),
        ("0015e00000AbCdEFGH", "name", "0015e00000AbCdEFGH"),
        ("Acme   Telecom", "name", "Acme Telecom"),
        ("🚀", "name", "🚀"),
        ("acme..com", "invalid", ""),
    ],
)
def test_kinds(text: str, kind: str, value: str) -> None:
    parsed = parse_qualify(text)
    assert (parsed.kind, parsed.value) == (kind, value)


def test_share_flag_at_either_end() -> None:
    assert parse_qualify("acme.com share").share
    assert parse_qualify("share Acme Telecom") == parse_qualify("Acme Telecom share")
    assert not parse_qualify("acme.com").share
    assert parse_qualify("share").kind == "name"


def test_overlong_input_is_invalid_with_a_reason() -> None:
    parsed = parse_qualify("x" * 5000)
    assert parsed.kind == "invalid" and "5,000 characters" in (parsed.problem or "")
    assert parse_qualify("word " * 50).kind == "invalid"


@given(st.text(max_size=2000))
def test_never_raises(text: str) -> None:
    parsed = parse_qualify(text)
    assert parsed.kind in ("help", "invalid", "domain", "lead_id", "name")
    assert (parsed.kind == "invalid") == (parsed.problem is not None)
