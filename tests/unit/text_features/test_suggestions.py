"""Lexicon suggestions: mining ranks, counts and quotes; covered phrases dropped; the review file is the only output."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from learning.suggestions import MinedDocument, mine
from nlp import CallSignals
from nlp.domain import BOOLEAN_SIGNALS, URGENCY_LEVELS
from nlp.lexicon import DATA_DIR
from nlp.suggest import Coverage, Suggestion, lexicon_coverage, uncovered, write_patch

WIN = "Prospect: the money is set aside for the rollout."
LOSS = "Prospect: happy with the current vendor for now."
OPTIONS = {"min_documents": 3, "per_target": 5, "min_lift": 1.2}


@pytest.fixture(scope="module")
def small_lexicon(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real lexicon whose signal and urgency phrases are cut down to a couple of known ones."""
    directory = tmp_path_factory.mktemp("lexicon")
    for source in DATA_DIR.glob("*.yaml"):
        shutil.copy(source, directory / source.name)
    signals = {name: {"phrases": []} for name in BOOLEAN_SIGNALS}
    signals["budget_confirmed"]["phrases"] = ["budget approved|confirmed"]
    (directory / "signals.yaml").write_text(yaml.safe_dump(signals), encoding="utf-8")
    urgency = {level: [] for level in URGENCY_LEVELS}
    urgency["high"] = ["go_live this month"]
    (directory / "urgency.yaml").write_text(yaml.safe_dump(urgency), encoding="utf-8")
    return directory


def _documents() -> list[MinedDocument]:
    wins = [MinedDocument(WIN, True, signals=CallSignals(budget_confirmed=True)) for _ in range(6)]
    losses = [MinedDocument(LOSS, False, reasons=("wrong_fit",), signals=CallSignals()) for _ in range(6)]
    return wins + losses


def _by_phrase(found: list[Suggestion], target: str) -> dict[str, Suggestion]:
    return {s.phrase: s for s in found if s.target == target}


def test_mined_phrases_carry_counts_rates_and_example_quotes() -> None:
    found = mine(_documents(), Coverage(), **OPTIONS)
    wins = _by_phrase(found, "progressed")
    assert "set aside" in wins
    phrase = wins["set aside"]
    assert phrase.documents == 6
    assert phrase.target_rate == 1.0 and phrase.base_rate == 0.5
    assert phrase.lift > 1.2
    assert phrase.examples == ("the money is set aside for the rollout",)
    assert phrase.signal == "budget_confirmed"
    assert "set aside" not in _by_phrase(found, "not_progressed")


def test_feedback_reasons_are_targets_of_their_own() -> None:
    found = mine(_documents(), Coverage(), **OPTIONS)
    assert "current vendor" in _by_phrase(found, "feedback:wrong_fit")
    assert "current vendor" in _by_phrase(found, "not_progressed")


def test_stronger_association_ranks_first_and_per_target_bounds_the_list() -> None:
    strong = [MinedDocument("Prospect: signed the order form today.", True) for _ in range(5)]
    mixed = [MinedDocument("Prospect: asked about the order form.", i < 3) for i in range(6)]
    rest = [MinedDocument("Prospect: nothing much to report.", False) for _ in range(5)]
    found = mine(strong + mixed + rest, Coverage(), min_documents=3, per_target=50, min_lift=1.0)
    ranked = [s.phrase for s in found if s.target == "progressed"]
    assert ranked.index("signed") < ranked.index("asked")
    lifts = [s.lift for s in found if s.target == "progressed"]
    assert lifts == sorted(lifts, reverse=True)
    bounded = mine(strong + mixed + rest, Coverage(), min_documents=3, per_target=2, min_lift=1.0)
    assert len([s for s in bounded if s.target == "progressed"]) == 2


def test_rare_phrases_below_min_documents_are_not_suggested() -> None:
    documents = [*_documents(), MinedDocument("Prospect: unicorn budget line.", True)]
    found = mine(documents, Coverage(), **OPTIONS)
    assert not any("unicorn" in s.phrase for s in found)


def test_phrases_the_lexicon_already_covers_are_excluded(small_lexicon: Path) -> None:
    coverage = lexicon_coverage(small_lexicon)
    assert coverage.covers("budget approved") and coverage.covers("NOT_budget approved")
    assert not coverage.covers("set aside")
    notes = "Prospect: budget approved and money set aside."
    documents = [MinedDocument(notes, True) for _ in range(5)] + [MinedDocument(LOSS, False) for _ in range(5)]
    phrases = {s.phrase for s in mine(documents, coverage, **OPTIONS)}
    assert "set aside" in phrases
    assert not any("budget approved" in p or p == "approved" for p in phrases)


def test_uncovered_keeps_order_and_drops_covered(small_lexicon: Path) -> None:
    coverage = lexicon_coverage(small_lexicon)
    items = [Suggestion(p, "progressed", 5, 1.0, 0.5, 2.0) for p in ("set aside", "budget approved", "pilot")]
    assert [s.phrase for s in uncovered(items, coverage)] == ["set aside", "pilot"]


def test_empty_or_unusable_input_gives_no_suggestions() -> None:
    assert mine([], Coverage()) == []
    assert mine([MinedDocument("", True), MinedDocument("Rep: our pitch only", False)], Coverage(), **OPTIONS) == []


def test_unlabelled_notes_dilute_the_rate_but_add_no_target() -> None:
    documents = [*_documents(), *(MinedDocument(WIN, None) for _ in range(6))]
    found = mine(documents, Coverage(), **OPTIONS)
    diluted = _by_phrase(found, "progressed")["set aside"]
    assert (diluted.documents, diluted.target_rate, diluted.base_rate) == (12, 0.5, 0.3333)
    assert {s.target for s in found} <= {"progressed", "not_progressed", "feedback:wrong_fit"}


def _lexicon_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def test_review_file_is_written_where_asked_and_lexicon_untouched(tmp_path: Path) -> None:
    before = _lexicon_digest()
    found = mine(_documents(), Coverage(), **OPTIONS)
    target = tmp_path / "review" / "suggestions.yaml"
    assert write_patch(found, target) == target
    assert _lexicon_digest() == before
    assert [p.name for p in target.parent.iterdir()] == ["suggestions.yaml"]
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert {"generated_at", "how_to_apply", "proposals"} <= set(document)
    budget = {p["phrase"]: p for p in document["proposals"]["budget_confirmed"]}
    assert budget["set aside"]["documents"] == 6
    assert budget["set aside"]["examples"] == ["the money is set aside for the rollout"]
    assert "unassigned" in document["proposals"]


def test_review_file_for_no_suggestions_is_still_valid(tmp_path: Path) -> None:
    target = write_patch([], tmp_path / "empty.yaml")
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["proposals"] == {}
