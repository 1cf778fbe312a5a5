"""Per-signal quality on the hand-labelled evaluation sets; prints the tables (run with -s to see them)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nlp import BOOLEAN_SIGNALS, SignalExtractor
from nlp.evaluation import evaluate, load_cases

DATA = Path(__file__).resolve().parents[2] / "data" / "nlp"
DEV_F1_FLOOR = 0.90
DEV_PR_FLOOR = 0.80
# Regression floors just below each set's current macro F1 (see tests/data/nlp/README.md): they catch
# regressions, they are not quality claims. Every set here except heldout_g and heldout_h has been tuned on since it
# was first measured.
SET_FLOORS = {
    "eval_holdout.yaml": 0.93,
    "heldout_b.jsonl": 0.96,
    "heldout_c.jsonl": 0.92,
    "heldout_d.jsonl": 0.89,
    "heldout_e.jsonl": 0.95,
    "heldout_f.jsonl": 0.90,
    "heldout_g.jsonl": 0.80,
    "heldout_h.jsonl": 0.78,
    "dev_t.jsonl": 0.90,
}


def test_dev_set_is_large_and_varied() -> None:
    cases = load_cases(DATA / "eval_dev.yaml")
    assert len(cases) >= 150
    assert any(c.transcript for c in cases)
    for name in BOOLEAN_SIGNALS:
        assert sum(name in c.signals for c in cases) >= 5, name


def test_dev_set_meets_per_signal_floors(extractor: SignalExtractor) -> None:
    report = evaluate(extractor, load_cases(DATA / "eval_dev.yaml"))
    print("\nDEV SET\n" + report.table())
    below = [
        name
        for name in BOOLEAN_SIGNALS
        if report.counts[name].f1 < DEV_F1_FLOOR
        or report.counts[name].precision < DEV_PR_FLOOR
        or report.counts[name].recall < DEV_PR_FLOOR
    ]
    assert not below, f"below floor: {below}\n" + "\n".join(report.errors)


@pytest.mark.parametrize(("path", "floor"), sorted(SET_FLOORS.items()))
def test_other_sets_are_reported_and_guarded(extractor: SignalExtractor, path: str, floor: float) -> None:
    """Retired and blind sets: printed per signal, guarded against regressions by a macro-F1 floor."""
    report = evaluate(extractor, load_cases(DATA / path))
    macro = sum(report.counts[name].f1 for name in BOOLEAN_SIGNALS) / len(BOOLEAN_SIGNALS)
    print(f"\nSET {path}\n" + report.table() + f"\nmacro F1 over boolean signals: {macro:.3f}")
    assert macro >= floor


def test_heldout_b_is_large_and_mixes_styles() -> None:
    cases = load_cases(DATA / "heldout_b.jsonl")
    assert len(cases) >= 60
    styles = {json.loads(line)["style"] for line in (DATA / "heldout_b.jsonl").read_text().splitlines() if line}
    assert styles == {"slack", "non-native", "voice-to-text"}


@pytest.mark.parametrize("path", ["eval_dev.yaml", *SET_FLOORS])
def test_evaluation_files_use_known_names(path: str) -> None:
    ids = [c.id for c in load_cases(DATA / path)]
    assert len(ids) == len(set(ids))


def test_blind_sets_mix_their_styles() -> None:
    for path, expected in {
        "heldout_c.jsonl": {"fellow-summary", "ae-handoff-email", "crm-terse", "transcript", "paraphrase",
                            "negative-hard"},
        "heldout_d.jsonl": {"exec-brief", "voice-memo", "discovery-qa", "chat-thread", "long-transcript",
                            "non-native", "hard-negative"},
        "heldout_e.jsonl": {"partner-referral", "support-to-sales", "mobile-typed", "structured-template",
                            "email-thread", "industry-jargon", "hard-negative"},
        "heldout_f.jsonl": {"linkedin_inmail_dm", "tradeshow_badge_scan", "rfp_vendor_questionnaire",
                            "ai_notetaker_summary", "rep_dictated_notes", "followup_email_draft",
                            "renewal_expansion_checkin", "cs_escalation_note", "webinar_qa_followup",
                            "mixed_language_notes", "three_person_transcript", "hard_negative"},
        "heldout_g.jsonl": {"customer-success QBR / business review notes", "procurement and legal emails about a deal",
                            "outreach notes triggered by product-usage alerts",
                            "inbound web-form submissions with a free-text message",
                            "calendar invite descriptions for upcoming calls",
                            "solution-engineer technical scoping notes", "partner-marketplace leads",
                            "voicemail transcriptions left by prospects",
                            "notes that mix a little French or German into mostly-English text",
                            "short status updates in a deal-desk channel", "two-speaker transcripts",
                            "hard negatives"},
    }.items():  # fmt: skip
        rows = [json.loads(line) for line in (DATA / path).read_text().splitlines() if line.strip()]
        assert len(rows) >= 130 and {row["style"] for row in rows} == expected


def _words(text: str) -> set[str]:
    return set(re.sub(r"[^\w\s]", " ", text.lower()).split())


def test_quotes_are_the_labelled_clause_not_the_paragraph_around_it(extractor: SignalExtractor) -> None:
    """heldout_h labels, per signal, the shortest clause that proves it: a correct signal's quote should be mostly
    that clause (word precision) and keep most of it (word recall). Measured 0.706 / 0.811 when the set was retired;
    quotes cut from a fixed window around the trigger measured 0.581 / 0.847."""
    rows = [json.loads(line) for line in (DATA / "heldout_h.jsonl").read_text().splitlines() if line.strip()]
    cases = {case.id: case for case in load_cases(DATA / "heldout_h.jsonl")}
    precision, recall = [], []
    for row in rows:
        case = cases[row["id"]]
        got = extractor.extract(case.text, transcript=case.transcript, attendees=case.attendees)
        for signal in set(got.active_signals()) & case.signals:
            quote = next((e.quote for e in got.evidence if e.signal == signal), None)
            gold, words = _words(row["evidence"][signal]), _words(quote or "")
            if gold and words:
                precision.append(len(gold & words) / len(words))
                recall.append(len(gold & words) / len(gold))
    mean_p, mean_r = sum(precision) / len(precision), sum(recall) / len(recall)
    print(f"\nheldout_h quotes: word precision {mean_p:.3f}, word recall {mean_r:.3f} over {len(precision)} quotes")
    assert len(precision) >= 300 and mean_p >= 0.68 and mean_r >= 0.78


def test_heldout_h_labels_a_clause_inside_the_text_for_every_signal() -> None:
    rows = [json.loads(line) for line in (DATA / "heldout_h.jsonl").read_text().splitlines() if line.strip()]
    assert len(rows) >= 150 and sum(bool(row.get("attendees")) for row in rows) >= 90
    for row in rows:
        assert set(row["evidence"]) == set(row["signals"]), row["id"]
        assert all(clause in row["text"] and len(clause) <= 200 for clause in row["evidence"].values()), row["id"]
