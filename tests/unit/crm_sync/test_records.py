"""Reading Salesforce and Fellow records: ids, timestamps, dirty text, attendees, transcripts, envelopes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm_sync.fellow.client import unwrap_page
from crm_sync.fellow.records import (
    MAX_SEGMENTS,
    CallRecordError,
    attendee_emails,
    clean_transcript,
    parse_note,
    parse_recording,
)
from crm_sync.salesforce.records import RecordError, parse_lead, soql_datetime, soql_string

NOW = datetime(2024, 6, 1, tzinfo=UTC)
LEAD = {"Id": "00Q5g0000000001EAA", "SystemModstamp": "2024-05-01T10:00:00.000+0000"}


def test_lead_parsing_cleans_values() -> None:
    record = parse_lead(
        {**LEAD, "Company": "[not provided]", "Title": " CTO\x00 ", "NumberOfEmployees": -4, "AnnualRevenue": "x"}
    )
    assert record.modstamp == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert (record.company_name, record.title, record.employees, record.annual_revenue) == (None, "CTO", None, None)


@pytest.mark.parametrize(
    "raw", [{"Id": "bad id"}, {"Id": None}, {"Id": "00Q5g0000000001EAA", "SystemModstamp": "yesterday"}]
)
def test_unusable_leads_raise_with_a_reason(raw: dict[str, object]) -> None:
    with pytest.raises(RecordError):
        parse_lead(raw)


def test_soql_literals() -> None:
    assert soql_datetime(datetime(2024, 1, 2, 3, 4, 5, 999, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    assert soql_string("O'Brien \\ Co") == "'O\\'Brien \\\\ Co'"


def test_attendees_accept_strings_and_objects() -> None:
    raw = ["A@X.example", {"email": "b@y.example", "name": "B"}, "not-an-email", {"name": "no email"}, "a@x.example"]
    assert attendee_emails(raw) == ["a@x.example", "b@y.example"]


def test_huge_transcripts_are_cut_with_a_warning() -> None:
    segments = [{"speaker": "A", "text": "hello", "start_time": i, "end_time": i + 1} for i in range(MAX_SEGMENTS + 10)]
    cleaned, warnings = clean_transcript({"speech_segments": segments})
    assert cleaned is not None and len(cleaned) == MAX_SEGMENTS and warnings


def test_notes_report_missing_attendees_and_future_times() -> None:
    data = parse_note({"id": "n1", "event_start": "2031-01-01T00:00:00Z", "event_attendees": []}, NOW)
    assert any("future" in w for w in data.warnings) and any("no attendee" in w for w in data.warnings)
    with pytest.raises(CallRecordError):
        parse_note({"title": "no id"}, NOW)


def test_recordings_are_keyed_by_their_note() -> None:
    data = parse_recording({"id": "r1", "note_id": "n1", "transcript": {"speech_segments": []}}, NOW)
    assert data.fellow_id == "n1" and data.transcript == []


def test_both_page_envelopes_are_accepted() -> None:
    flat = {"page_info": {"cursor": "c2", "page_size": 50}, "data": [{"id": "1"}]}
    assert unwrap_page("notes", flat) == ([{"id": "1"}], "c2")
    assert unwrap_page("notes", {"notes": {**flat, "page_info": {"cursor": None}}}) == ([{"id": "1"}], None)
    with pytest.raises(ValueError):
        unwrap_page("notes", {"data": []})
