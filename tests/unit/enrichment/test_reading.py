"""HTML reading, body decoding and the enrichment config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_sync.enrichment.config import DEFAULT_CONFIG_PATH, EnrichmentConfigError, load_enrichment_config
from crm_sync.enrichment.decoding import decode_body
from crm_sync.enrichment.html_reader import read_html
from crm_sync.enrichment.website_signals import extract_signals, phone_numbers


def test_broken_html_is_read_leniently() -> None:
    parts = read_html("<html><title>Acme <b>Co</title><p>Call <a href='tel:+4420 7946 0958'>us</a><script>"
                      "var x = '<p>not text</p>';</script><p>Visible text here<div>")  # fmt: skip
    assert parts.title == "Acme Co"
    assert "not text" not in parts.text and "Visible text here" in parts.text
    assert "not text" in parts.inline_scripts
    assert phone_numbers(parts) == ["+4420 7946 0958"]


def test_years_and_prices_are_not_phone_numbers() -> None:
    parts = read_html("<p>Founded 2012. Plans from $1,299.00 per year. Serving 2,000,000 customers.</p>")
    assert phone_numbers(parts) == []


def test_signals_need_whole_words() -> None:
    facts = extract_signals({"/": read_html("<p>Our rivrside login-free blogging platform. Delivery in Ivry.</p>")})
    assert facts["voice_ai_indicators"] == []


def test_decoding_prefers_declared_charset_and_never_fails() -> None:
    assert decode_body("Café".encode("latin-1"), "text/html; charset=ISO-8859-1") == "Café"
    assert decode_body("Café".encode(), "text/html") == "Café"
    assert decode_body(b"caf\xe9 \x93x\x94", "text/html; charset=bogus") == "café “x”"


def test_shipped_config_loads() -> None:
    config = load_enrichment_config(DEFAULT_CONFIG_PATH)
    assert config.providers == ("salesforce", "csv", "website")
    assert config.queue.backlog_alert == 50
    assert config.website.paths[0] == "/"


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "enrichment.yaml"
    path.write_text("providers: [salesforce, salesforce]\nwebsite: {user_agent: SomeBot/1.0 (x)}\n")
    with pytest.raises(EnrichmentConfigError, match="must not repeat"):
        load_enrichment_config(path)
    with pytest.raises(EnrichmentConfigError, match="cannot read"):
        load_enrichment_config(tmp_path / "missing.yaml")
