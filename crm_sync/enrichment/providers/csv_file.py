"""Bulk firmographics from CSV files sales ops drop in (domain, industry, employees, funding stage, country)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crm_sync.enrichment.domain import CompanySubject, ProviderResult
from store.normalize import InvalidDomainError, normalize_domain

# Accepted header spellings -> fact key (vendors name columns differently).
COLUMN_ALIASES: dict[str, str] = {
    "domain": "domain",
    "website": "domain",
    "company_domain": "domain",
    "industry": "industry",
    "employees": "employees",
    "employee_count": "employees",
    "number_of_employees": "employees",
    "funding_stage": "funding_stage",
    "funding": "funding_stage",
    "country": "country",
}
MAX_LENGTHS = {"industry": 120, "funding_stage": 60, "country": 80}
MAX_EMPLOYEES = 5_000_000


class CsvFormatError(ValueError):
    """The file cannot be used at all (no header, no domain column, unreadable)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One malformed row, by its line number in the file."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(slots=True)
class FirmographicsFile:
    """Valid rows by normalised domain, plus the rows that were rejected."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def _header(raw: list[str]) -> list[str | None]:
    keys = [COLUMN_ALIASES.get(name.strip().lower().replace(" ", "_")) for name in raw]
    if "domain" not in keys:
        raise CsvFormatError(f"no domain column in header {raw!r} (expected one of: domain, website, company_domain)")
    return keys


def _parse_row(keys: list[str | None], values: list[str]) -> dict[str, Any]:
    if len(values) != len(keys):
        raise ValueError(f"expected {len(keys)} columns, found {len(values)}")
    row: dict[str, Any] = {}
    for key, raw in zip(keys, values, strict=True):
        value = raw.strip()
        if key is None or not value:
            continue
        if key == "domain":
            row["domain"] = normalize_domain(value)
        elif key == "employees":
            try:
                number = float(value.replace(",", "").replace("_", ""))
            except ValueError:
                number = -1.0
            if not number.is_integer() or not 0 <= number <= MAX_EMPLOYEES:
                raise ValueError(f"employees {value!r} is not a whole number between 0 and {MAX_EMPLOYEES:,}")
            row["employees"] = int(number)
        else:
            if len(value) > MAX_LENGTHS[key]:
                raise ValueError(f"{key} longer than {MAX_LENGTHS[key]} characters")
            row[key] = value
    if "domain" not in row:
        raise ValueError("domain is empty")
    return row


def parse_firmographics(text: str) -> FirmographicsFile:
    """Parse CSV text; malformed rows are reported with their line numbers, never silently dropped."""
    reader = csv.reader(io.StringIO(text))
    result = FirmographicsFile()
    seen: dict[str, int] = {}
    try:
        keys = _header(next(reader))
    except StopIteration:
        raise CsvFormatError("the file is empty") from None
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        try:
            row = _parse_row(keys, values)
        except (ValueError, InvalidDomainError) as exc:
            result.errors.append(RowError(line, str(exc)))
            continue
        domain = row.pop("domain")
        if domain in seen:
            result.errors.append(RowError(line, f"duplicate of line {seen[domain]} for {domain}; this row wins"))
        seen[domain] = line
        result.rows[domain] = row
    return result


def read_firmographics(path: Path) -> FirmographicsFile:
    """Read a CSV file (UTF-8 with or without BOM, else Windows-1252)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return parse_firmographics(text)


class CsvFirmographicsProvider:
    """Looks companies up in every *.csv file of a directory (files later in name order win)."""

    name = "csv"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.rows: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, list[RowError]] = {}
        self.files: list[str] = []
        for path in sorted(directory.glob("*.csv")) if directory.is_dir() else []:
            try:
                parsed = read_firmographics(path)
            except CsvFormatError as exc:
                parsed = FirmographicsFile(errors=[RowError(1, str(exc))])
            self.files.append(path.name)
            self.errors[path.name] = parsed.errors
            for domain, row in parsed.rows.items():
                self.rows[domain] = {**row, "source_file": path.name}

    def enrich(self, subject: CompanySubject) -> ProviderResult:
        """The file row for the subject's domain, or skipped when no file lists it."""
        row = self.rows.get(subject.domain)
        if row is None:
            return ProviderResult.skipped(self.name, f"{subject.domain} is not in any firmographics file")
        return ProviderResult.ok(self.name, dict(row))
