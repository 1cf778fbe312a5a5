"""Suggestions worth reviewing: names (capitalised mid-sentence in the notes), pronouns, stop words, contractions
and internal tokens are dropped; phrases with a content word are kept."""

from __future__ import annotations

from learning.suggestion_filter import proper_nouns, worth_reviewing
from learning.suggestions import MinedDocument, mine
from nlp.suggest import Coverage

NOTES = [
    "Prospect: we spoke with Priya about the contact centre. Priya wants a pilot.",
    "Prospect: the team and Priya need call routing. Then Marcus joined late.",
    "Prospect: Marcus said the budget is fine; marcus is not a lower-case name here.",
    "Prospect: Routing matters. routing matters a lot.",
]


def test_words_capitalised_mid_sentence_are_names_and_sentence_starts_do_not_count() -> None:
    names = proper_nouns(NOTES)
    assert "priya" in names
    assert "marcus" not in names  # once lower-case in three sightings: below the share
    assert "routing" not in names and "prospect" not in names and "then" not in names


def test_pronouns_stop_words_contractions_and_internal_tokens_are_not_worth_reviewing() -> None:
    for phrase in ("we'll", "you're", "we", "it is", "NOT_looks", "NOT_looks good", "don't"):
        assert not worth_reviewing(phrase), phrase
    assert not worth_reviewing("priya wants", frozenset({"priya"}))
    for phrase in ("call routing", "set aside", "we'll need budget", "contact centre"):
        assert worth_reviewing(phrase), phrase


def test_mining_drops_names_and_pronouns_but_keeps_the_signal_phrase() -> None:
    wins = [MinedDocument(f"Prospect: we'll have budget set aside, said Priya. Ask Priya {i}.", True) for i in range(5)]
    losses = [MinedDocument("Prospect: happy with the current vendor for now.", False) for _ in range(5)]
    found = {s.phrase for s in mine(wins + losses, Coverage(), min_documents=3, per_target=50, min_lift=1.2)}
    assert "set aside" in found
    assert not any("priya" in phrase.split() for phrase in found)
    assert "we'll" not in found and not any(phrase.startswith("NOT_") for phrase in found)
