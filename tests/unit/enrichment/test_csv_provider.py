"""The bulk firmographics CSV: valid rows by domain, malformed rows reported with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_sync.enrichment.domain import CompanySubject
from crm_sync.enrichment.providers.csv_file import CsvFirmographicsProvider, CsvFormatError, parse_firmographics

GOOD_AND_BAD = """Domain,Industry,Employee Count,Funding Stage,Country
https://www.Acme.com/,Telecommunications,"1,200",Series B,US
bücher.example,Retail,35,,DE
not a domain,Retail,10,Seed,US
globex.com,Logistics,lots,Seed,US
initech.com,Software,12.5,Seed,US
,Software,10,Seed,US
short.com,Software
"multi.com","Health
care",80,Seed,US

acme.com,Telecom,1300,Series C,US
"""


def test_valid_rows_are_keyed_by_normalised_domain() -> None:
    parsed = parse_firmographics(GOOD_AND_BAD)
    assert parsed.rows["acme.com"] == {"industry": "Telecom", "employees": 1300, "funding_stage": "Series C",
                                       "country": "US"}  # fmt: skip
    assert parsed.rows["xn--bcher-kva.example"] == {"industry": "Retail", "employees": 35, "country": "DE"}
    assert parsed.rows["multi.com"]["industry"] == "Health\ncare"


def test_malformed_rows_are_reported_with_line_numbers() -> None:
    errors = {error.line: error.message for error in parse_firmographics(GOOD_AND_BAD).errors}
    assert set(errors) == {4, 5, 6, 7, 8, 12}
    assert "not a valid domain" in errors[4]
    assert "employees 'lots'" in errors[5]
    assert "employees '12.5'" in errors[6]
    assert errors[7] == "domain is empty"
    assert errors[8] == "expected 5 columns, found 2"
    assert errors[12] == "duplicate of line 2 for acme.com; this row wins"


def test_file_without_domain_column_is_refused() -> None:
    with pytest.raises(CsvFormatError, match="no domain column"):
        parse_firmographics("name,industry\nAcme,Telecom\n")
    with pytest.raises(CsvFormatError, match="empty"):
        parse_firmographics("")


def test_provider_reads_every_file_later_names_win(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("domain,industry,employees\nacme.com,Telecom,100\nglobex.com,Logistics,20\n")
    (tmp_path / "b.csv").write_bytes("domain,industry\nacme.com,Télécom\n".encode("cp1252"))
    (tmp_path / "broken.csv").write_text("name\nfoo\n")
    provider = CsvFirmographicsProvider(tmp_path)
    acme = provider.enrich(CompanySubject(1, "acme.com"))
    assert acme.status == "ok" and acme.data == {"industry": "Télécom", "source_file": "b.csv"}
    assert provider.enrich(CompanySubject(2, "globex.com")).data["employees"] == 20
    missing = provider.enrich(CompanySubject(3, "unknown.com"))
    assert missing.status == "skipped" and "not in any firmographics file" in (missing.reason or "")
    assert "no domain column" in str(provider.errors["broken.csv"][0])


def test_missing_directory_means_no_rows(tmp_path: Path) -> None:
    provider = CsvFirmographicsProvider(tmp_path / "absent")
    assert provider.enrich(CompanySubject(1, "acme.com")).status == "skipped"
