"""Who said it: our side's turns never count as the prospect's signal, in every transcript format we read."""

from __future__ import annotations

import pytest

from nlp import SignalExtractor
from nlp.speakers import people_from_attendees

REP_ASKS = "Do you need pricing for SIP trunking?"
PROSPECT_ASKS = "Can you send a quote for SIP trunking?"


@pytest.fixture(scope="module")
def with_reps() -> SignalExtractor:
    return SignalExtractor(rep_names=("Chris Wu",))


FORMATS = {
    "name": "{rep}: {rep_text}\nDana Lee: {prospect_text}",
    "timestamp": "[00:33] {rep}: {rep_text}\n[00:41] Dana Lee: {prospect_text}",
    "clipped timestamp": "33] {rep}: {rep_text}\n41] Dana Lee: {prospect_text}",
    "bare timestamp": "00:33 {rep}: {rep_text}\n00:41 Dana Lee: {prospect_text}",
}


@pytest.mark.parametrize("layout", sorted(FORMATS))
def test_a_reps_question_is_not_the_prospects_request(with_reps: SignalExtractor, layout: str):
    text = FORMATS[layout].format(rep="Chris Wu", rep_text=REP_ASKS, prospect_text="We are still comparing options.")
    signals = with_reps.extract(text)
    assert not signals.pricing_requested
    assert not signals.product_voice


@pytest.mark.parametrize("layout", sorted(FORMATS))
def test_the_prospects_request_counts_and_is_quoted_without_label(with_reps: SignalExtractor, layout: str):
    text = FORMATS[layout].format(rep="Chris Wu", rep_text="Thanks for joining.", prospect_text=PROSPECT_ASKS)
    signals = with_reps.extract(text)
    assert signals.pricing_requested and signals.product_voice
    quotes = {e.quote for e in signals.evidence if e.signal == "pricing_requested"}
    assert quotes == {PROSPECT_ASKS}
    assert all(e.speaker == "Dana Lee" for e in signals.evidence if e.signal == "pricing_requested")


def test_the_same_words_count_when_the_prospect_says_them(with_reps: SignalExtractor):
    text = FORMATS["timestamp"].format(rep="Dana Lee", rep_text=PROSPECT_ASKS, prospect_text="Sure.")
    assert with_reps.extract(text.replace("Dana Lee: Sure.", "Chris Wu: Sure.")).pricing_requested


@pytest.mark.parametrize("label", ["Rep", "AE", "SDR"])
def test_role_labels_mark_our_side(extractor: SignalExtractor, label: str):
    text = f"{label}: {REP_ASKS}\nProspect: We are still comparing options."
    assert not extractor.extract(text).pricing_requested
    assert extractor.extract(f"Prospect: {PROSPECT_ASKS}\n{label}: Sure.").pricing_requested


def test_diarized_json_transcript_uses_attendees_on_our_domain(extractor: SignalExtractor):
    transcript = [
        {"speaker": "Chris Wu", "text": REP_ASKS},
        {"speaker": "Dana Lee", "text": "Not yet, we're still comparing options."},
    ]
    assert extractor.extract("", transcript=transcript).pricing_requested  # nobody known as ours: unattributed
    attendees = ["Chris Wu <chris.wu@telnyx.com>", "dana.lee@acme.com"]
    signals = extractor.extract("", transcript=transcript, attendees=attendees)
    assert not signals.pricing_requested and not signals.product_voice


def test_attendee_email_alone_names_the_rep_and_first_names_match(extractor: SignalExtractor):
    text = f"Chris: {REP_ASKS}\nDana: Not yet, we're still comparing options."
    assert not extractor.extract(text, attendees=["chris.wu@telnyx.com", "dana@acme.com"]).pricing_requested


def test_the_meeting_owner_is_our_side(extractor: SignalExtractor):
    text = f"Chris Wu: {REP_ASKS}\nDana Lee: Not yet, we're still comparing options."
    assert not extractor.extract(text, owner="Chris Wu").pricing_requested


def test_a_rep_reporting_the_prospects_words_counts(extractor: SignalExtractor):
    signals = extractor.extract("AE: they said budget is approved for Q3.\nProspect: yes.")
    assert signals.budget_confirmed
    assert not extractor.extract("AE: budget is approved on our side for the pilot credits.").budget_confirmed


def test_people_from_attendees_keeps_only_our_domains():
    people = people_from_attendees(
        ["Chris Wu <chris.wu@telnyx.com>", "sam@eu.telnyx.com", "dana.lee@acme.com", "not an email"], ["telnyx.com"]
    )
    assert people == frozenset({"chris wu", "sam"})


@pytest.mark.parametrize(
    ("reply", "confirmed"),
    [
        ("Yes, that's right.", True),
        ("Correct.", True),
        ("No, that still needs sign-off.", False),
        ("We are still comparing options.", False),
    ],
)
def test_a_reps_recap_counts_only_when_the_prospect_confirms_it(
    with_reps: SignalExtractor, reply: str, confirmed: bool
) -> None:
    text = f"Chris Wu: So the budget is approved for this quarter?\nDana Lee: {reply}"
    assert with_reps.extract(text).budget_confirmed is confirmed
