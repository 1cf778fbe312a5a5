"""Tests for the synthetic sample-data generator: determinism, plausibility, text variety, label sanity."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from admin_api.demo.sample_data import (
    DEFAULT_END,
    HISTORY_DAYS,
    OUTCOME_LAG_DAYS,
    SampleDataset,
    generate_sample,
    salesforce_id,
)
from admin_api.demo.sample_text import phrases

N_LEADS = 2000


@pytest.fixture(scope="module")
def ds() -> SampleDataset:
    return generate_sample(N_LEADS, seed=7)


def _words(text: str) -> int:
    return len(text.split())


def test_same_inputs_give_identical_dataset() -> None:
    assert generate_sample(300, seed=5) == generate_sample(300, seed=5)


def test_other_seed_gives_other_dataset() -> None:
    a, b = generate_sample(200, seed=1), generate_sample(200, seed=2)
    assert [c.notes for c in a.calls] != [c.notes for c in b.calls]


def test_default_end_is_fixed_and_end_shifts_dates() -> None:
    shifted_end = DEFAULT_END - timedelta(days=100)
    base, shifted = generate_sample(50, seed=3), generate_sample(50, seed=3, end=shifted_end)
    assert max(lead.created_at for lead in base.leads) < DEFAULT_END
    assert [lead.created_at - timedelta(days=100) for lead in base.leads] == [lead.created_at for lead in shifted.leads]


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        generate_sample(10, end=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="n_leads"):
        generate_sample(-1)


def test_zero_leads_gives_empty_dataset() -> None:
    assert generate_sample(0) == SampleDataset((), (), (), (), ())


def test_ids_are_unique_and_well_formed(ds: SampleDataset) -> None:
    ids = [lead.salesforce_id for lead in ds.leads]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 18 and i.startswith("00Q") and salesforce_id(i[:15]) == i for i in ids)
    assert ids == sorted(ids)
    assert [lead.created_at for lead in ds.leads] == sorted(lead.created_at for lead in ds.leads)
    fellow_ids = [c.fellow_id for c in ds.calls]
    assert len(set(fellow_ids)) == len(fellow_ids)
    domains = [c.domain for c in ds.companies]
    assert len(set(domains)) == len(domains)
    assert len({o.lead_salesforce_id for o in ds.outcomes}) == len(ds.outcomes)
    assert [t.lead_salesforce_id for t in ds.truth] == ids


def test_salesforce_checksum_matches_known_id() -> None:
    assert salesforce_id("001A0000006Vm9r") == "001A0000006Vm9rIAC"
    assert salesforce_id("00Q5e00000AbCdE") == "00Q5e00000AbCdEEAV"


def test_references_resolve(ds: SampleDataset) -> None:
    free_mail = set(phrases()["free_mail"])
    company_domains = {c.domain for c in ds.companies}
    lead_ids = {lead.salesforce_id for lead in ds.leads}
    assert all(lead.company_domain in company_domains | free_mail for lead in ds.leads)
    assert all(c.lead_salesforce_id in lead_ids for c in ds.calls)
    assert all(o.lead_salesforce_id in lead_ids for o in ds.outcomes)


def test_label_rates_are_plausible(ds: SampleDataset) -> None:
    progressed = sum(o.progressed for o in ds.outcomes) / len(ds.outcomes)
    voice = sum(o.voice_ai_opportunity for o in ds.outcomes) / len(ds.outcomes)
    assert 0.25 <= progressed <= 0.40
    assert 0.05 <= voice < progressed
    assert all(o.progressed for o in ds.outcomes if o.voice_ai_opportunity)
    assert {o.status for o in ds.outcomes} == {"Converted", "Qualified", "Unqualified", "Nurturing"}
    assert all((o.stage is None) == (not o.progressed) for o in ds.outcomes)


def test_leads_span_about_nine_months(ds: SampleDataset) -> None:
    created = [lead.created_at for lead in ds.leads]
    assert all(c.tzinfo is not None and c.utcoffset() == timedelta(0) for c in created)
    assert min(created) >= DEFAULT_END - timedelta(days=HISTORY_DAYS)
    assert max(created) < DEFAULT_END
    assert (max(created) - min(created)).days >= HISTORY_DAYS - 10


def test_leads_companies_and_people_are_varied(ds: SampleDataset) -> None:
    free_mail = set(phrases()["free_mail"])
    free_share = sum(lead.company_domain in free_mail for lead in ds.leads) / len(ds.leads)
    assert 0.04 <= free_share <= 0.15
    assert {c.industry for c in ds.companies} == {i["label"] for i in phrases()["industries"].values()}
    per_company = Counter(lead.company_domain for lead in ds.leads if lead.company_domain not in free_mail)
    assert sum(n >= 2 for n in per_company.values()) >= 50
    employees = [c.employees for c in ds.companies if c.employees is not None]
    assert min(employees) <= 10 and max(employees) > 10000
    assert any(c.employees is None for c in ds.companies) and any(c.annual_revenue is None for c in ds.companies)
    assert any(c.funding_stage is None for c in ds.companies) and any(c.country is None for c in ds.companies)
    emails = [lead.email for lead in ds.leads if lead.email]
    assert any(e.split("@")[1] != e.split("@")[1].lower() for e in emails)
    assert any(lead.email is None for lead in ds.leads)
    assert len({lead.source for lead in ds.leads}) >= 6
    assert {lead.urgency_level for lead in ds.leads} == {None, 1, 2, 3, 4, 5}


def test_most_leads_have_calls_after_creation(ds: SampleDataset) -> None:
    created = {lead.salesforce_id: lead.created_at for lead in ds.leads}
    per_lead = Counter(c.lead_salesforce_id for c in ds.calls)
    assert 0.75 <= len(per_lead) / len(ds.leads) <= 0.92
    assert set(per_lead.values()) == {1, 2, 3}
    assert all(created[c.lead_salesforce_id] < c.started_at < DEFAULT_END for c in ds.calls)
    assert all(any(a.endswith("@telnyx.com") for a in c.attendees) for c in ds.calls)
    assert all(c.call_url.endswith(c.fellow_id) for c in ds.calls)


def test_transcripts_have_fellow_segment_shape(ds: SampleDataset) -> None:
    with_transcript = [c for c in ds.calls if c.transcript]
    assert 0.15 <= len(with_transcript) / len(ds.calls) <= 0.45
    for call in with_transcript[:50]:
        assert all(set(s) == {"speaker", "text", "start_time", "end_time"} for s in call.transcript)
        starts = [s["start_time"] for s in call.transcript]
        assert starts == sorted(starts) and all(s["end_time"] > s["start_time"] for s in call.transcript)


def test_outcomes_only_for_leads_old_enough(ds: SampleDataset) -> None:
    cutoff = DEFAULT_END - timedelta(days=OUTCOME_LAG_DAYS)
    created = {lead.salesforce_id: lead.created_at for lead in ds.leads}
    decided = {o.lead_salesforce_id for o in ds.outcomes}
    assert decided == {i for i, c in created.items() if c <= cutoff}
    last_call: dict[str, datetime] = {}
    for call in ds.calls:
        last_call[call.lead_salesforce_id] = max(
            call.started_at, last_call.get(call.lead_salesforce_id, call.started_at)
        )
    for o in ds.outcomes:
        assert (
            max(created[o.lead_salesforce_id], last_call.get(o.lead_salesforce_id, created[o.lead_salesforce_id]))
            <= o.decided_at
        )
        assert o.decided_at <= DEFAULT_END


def test_titles_come_in_varied_formats(ds: SampleDataset) -> None:
    titles = [c.title for c in ds.calls]
    assert len(set(titles)) > 0.8 * len(titles)
    for marker in ("<>", "Intro call - ", "discovery", " + Telnyx", "Follow"):
        assert any(marker in t for t in titles), marker
    assert not any("{" in t for t in titles)


def test_notes_are_varied_and_cover_the_signals(ds: SampleDataset) -> None:
    notes = [c.notes for c in ds.calls]
    assert len(set(notes)) > 0.98 * len(notes)
    assert not any("{" in n or "}" in n for n in notes)
    joined = "\n".join(notes)
    for pattern in (
        r"no budget",
        r"not looking at",
        r"locked into",
        r"Twilio",
        r"Vapi|Retell|Bland|ElevenLabs",
        r"Five9|Genesys|Amazon Connect|RingCentral",
        r"\d+k |\d,\d{3} ",
        r"texts/mo|messages a month",
        r"^Prospect: |\(Telnyx\): ",
        r"ASAP",
        r"just exploring|Just exploring",
        r"POC|pilot",
        r"10DLC|WhatsApp",
        r"eSIM|IoT SIMs",
        r"2FA|Verify API",
        r"If .* ever expand|if we ever expand",
        r"## ",
        r"^- ",
        r"w/ ",
    ):
        assert re.search(pattern, joined, flags=re.MULTILINE), pattern


def test_note_lengths_range_from_terse_to_long(ds: SampleDataset) -> None:
    lengths = [_words(c.notes) for c in ds.calls]
    assert min(lengths) < 15
    assert max(lengths) > 700
    assert 30 <= statistics.median(lengths) <= 150
    assert sum(n < 30 for n in lengths) > 0.05 * len(lengths)


def test_notes_do_not_leak_the_label(ds: SampleDataset) -> None:
    leaky = re.compile(r"convert|closed won|closed lost|unqualified|opportunity", re.IGNORECASE)
    assert not any(leaky.search(c.notes) or leaky.search(c.title) for c in ds.calls)


def test_latent_drivers_relate_to_the_outcome(ds: SampleDataset) -> None:
    latent = {t.lead_salesforce_id: t.latent for t in ds.truth}

    def rate(rows: list[bool]) -> float:
        return sum(rows) / len(rows)

    good = [
        o.progressed
        for o in ds.outcomes
        if latent[o.lead_salesforce_id]["voice_ai_interest"] and latent[o.lead_salesforce_id]["budget"] == "confirmed"
    ]
    bad = [o.progressed for o in ds.outcomes if latent[o.lead_salesforce_id]["not_interested"]]
    assert len(good) >= 40 and len(bad) >= 40
    assert rate(good) > 0.5 > 0.1 > rate(bad)
    voice = [o.voice_ai_opportunity for o in ds.outcomes if not latent[o.lead_salesforce_id]["voice_ai_interest"]]
    assert rate(voice) < 0.02


def test_noise_keeps_the_labels_imperfect(ds: SampleDataset) -> None:
    latent = {t.lead_salesforce_id: t.latent for t in ds.truth}
    confident = [o.progressed for o in ds.outcomes if float(latent[o.lead_salesforce_id]["logit"]) > 1.0]
    unlikely = [o.progressed for o in ds.outcomes if float(latent[o.lead_salesforce_id]["logit"]) < -1.0]
    assert confident.count(False) > 0 and unlikely.count(True) > 0


def test_default_end_equals_the_fixed_date() -> None:
    explicit = generate_sample(20, seed=9, end=datetime(2026, 11, 1, tzinfo=UTC))
    assert explicit == generate_sample(20, seed=9)
