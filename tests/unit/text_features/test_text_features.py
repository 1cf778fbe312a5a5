"""Text features: negation marking, prospect side, caps, other languages, vocabulary selection and quotes."""

from __future__ import annotations

import numpy as np
import pytest

from learning.vocabulary import VocabularyConfig, documents_from_terms, fit_vocabulary, fit_vocabulary_terms, note_terms
from scoring.text_features import (
    MAX_TEXT_CHARS,
    TextScorer,
    TextVocabulary,
    clause_terms,
    looks_english,
    notes_text,
    prepare_document,
)

POSITIVE = "Prospect: the money is set aside and we want a go-live before the end of the month."
NEGATIVE = "Prospect: there is no budget for this and we are happy with our vendor."


def test_negation_marks_words_until_the_clause_ends() -> None:
    terms = clause_terms("we have no budget but want a pilot")
    assert "NOT_budget" in terms
    assert "pilot" in terms and "NOT_pilot" not in terms


def test_rep_turns_are_dropped_and_prospect_turns_kept() -> None:
    notes = "Rep: we have budget tiers for everyone\nProspect: pricing looks fine\nRep: great, budget tiers it is"
    document = prepare_document(notes)
    assert "pricing looks fine" in document.text
    assert "tiers" not in document.text


def test_only_rep_speaking_gives_empty_text_with_a_warning() -> None:
    document = prepare_document("Rep: we pitched the platform\nAE: and showed the pricing page")
    assert document.text == ""
    assert any("prospect-side" in w for w in document.warnings)


def test_other_languages_are_refused_with_a_warning() -> None:
    spanish = "El cliente necesita un presupuesto para el proyecto de voz y quiere empezar con una prueba piloto."
    document = prepare_document(spanish)
    assert document.text == "" and any("English" in w for w in document.warnings)


def test_huge_notes_are_capped_with_a_warning() -> None:
    document = prepare_document("we want a pilot soon. " * 5000, max_chars=1000)
    assert len(document.text) == 1000
    assert any("very long" in w for w in document.warnings)


def _vocabulary() -> TextVocabulary:
    notes = [POSITIVE] * 20 + [NEGATIVE] * 20
    y = np.array([1.0] * 20 + [0.0] * 20)
    return fit_vocabulary(notes, [y], config=VocabularyConfig(max_terms=6, min_df=3, max_df_share=0.9))


def test_vocabulary_selects_terms_associated_with_the_label_and_is_bounded() -> None:
    vocabulary = _vocabulary()
    columns = vocabulary.terms[: vocabulary.n_term_columns]
    assert 0 < len(columns) <= 6
    assert "NOT_budget" in columns or "set aside" in columns
    assert len(vocabulary.column_names) == len(columns)


def test_linear_terms_extend_the_vocabulary_beyond_the_columns_by_frequency() -> None:
    notes = [POSITIVE] * 20 + [NEGATIVE] * 20
    y = np.array([1.0] * 20 + [0.0] * 20)
    wide = fit_vocabulary(notes, [y], config=VocabularyConfig(max_terms=2, min_df=3, max_df_share=0.9))
    narrow = fit_vocabulary(
        notes, [y], config=VocabularyConfig(max_terms=2, min_df=3, max_df_share=0.9, linear_terms=5)
    )
    assert wide.n_term_columns == narrow.n_term_columns == 2
    assert len(narrow.terms) == 5 < len(wide.terms)
    assert narrow.terms == wide.terms[:5]


def test_artifacts_without_columns_or_scorers_keep_one_column_per_term() -> None:
    legacy = {"terms": ["set aside", "NOT_budget"], "idf": [1.5, 1.5]}
    vocabulary = TextVocabulary.from_dict(legacy)
    assert vocabulary.n_term_columns == 2 and vocabulary.scorers == ()
    assert vocabulary.transform([POSITIVE]).shape == (1, 2)


def test_scorer_weights_must_match_the_terms() -> None:
    with pytest.raises(ValueError, match="1 weights for 2 terms"):
        TextVocabulary(("a", "b"), (1.0, 1.0), scorers=(TextScorer("progression", (0.5,), 0.0),))


def test_rows_are_nan_without_text_and_tfidf_with_it() -> None:
    vocabulary = _vocabulary()
    matrix = vocabulary.transform([POSITIVE, None, ""])
    assert matrix.shape == (3, len(vocabulary.column_names))
    assert np.nansum(matrix[0]) > 0
    assert np.isnan(matrix[1]).all() and np.isnan(matrix[2]).all()


def test_quote_is_the_clause_that_carries_the_term() -> None:
    vocabulary = _vocabulary()
    term = next(t for t in vocabulary.terms if vocabulary.quote(vocabulary.document(POSITIVE), t))
    quote = vocabulary.quote(vocabulary.document(POSITIVE), term)
    assert quote is not None and quote in POSITIVE
    assert vocabulary.quote(vocabulary.document(NEGATIVE), "set aside") is None


def test_vocabulary_round_trips_through_its_dict_form() -> None:
    vocabulary = _vocabulary()
    again = TextVocabulary.from_dict(vocabulary.to_dict())
    assert again == vocabulary
    np.testing.assert_allclose(again.transform([POSITIVE]), vocabulary.transform([POSITIVE]), rtol=1e-5)


def test_notes_text_skips_empty_notes() -> None:
    assert notes_text(["a", None, "  ", "b"]) == "a\n\nb"


def test_default_cap_leaves_normal_notes_whole_and_cuts_only_unusually_long_ones() -> None:
    normal = "Prospect: " + "we want a pilot of the voice agent next month. " * 40
    assert len(normal) < MAX_TEXT_CHARS
    kept = prepare_document(normal)
    assert kept.text == normal.strip() and kept.warnings == ()
    long_note = "Prospect: " + " ".join(["we want a pilot of the voice agent next month."] * 170)
    assert len(long_note.split()) > 1500
    cut = prepare_document(long_note)
    assert len(cut.text) == MAX_TEXT_CHARS
    assert any(f"{MAX_TEXT_CHARS:,} characters" in w for w in cut.warnings)


def test_a_saved_vocabulary_keeps_the_cap_it_was_trained_with() -> None:
    saved = {**_vocabulary().to_dict(), "max_chars": 20_000}
    long_note = "Prospect: " + "the money is set aside. " * 1000
    assert len(TextVocabulary.from_dict(saved).document(long_note).text) == 20_000


def test_language_check_judges_non_latin_scripts_and_accented_english() -> None:
    assert not looks_english("Клиент хочет голосового агента для колл-центра и пилот в следующем месяце.")
    assert looks_english("The café chain wants a voice agent for résumé screening and a pilot next month.")
    assert looks_english("We need a pilot of the voice agent and the budget is set aside for this quarter.")


def test_vocabulary_documents_carry_their_terms_and_agree_with_a_fresh_pass() -> None:
    vocabulary = _vocabulary()
    analysed = vocabulary.document(POSITIVE)
    plain = prepare_document(POSITIVE)
    assert analysed.hits is not None and analysed.hits.counts and plain.hits is None
    assert analysed == plain
    np.testing.assert_array_equal(vocabulary.row(analysed), vocabulary.row(plain))
    term = vocabulary.terms[int(np.flatnonzero(vocabulary.row(analysed))[0])]
    assert vocabulary.quote(analysed, term) == vocabulary.quote(plain, term) is not None
    assert vocabulary.document("").hits is None


def test_training_documents_from_term_counts_give_the_same_columns_as_a_fresh_read() -> None:
    notes = [POSITIVE, NEGATIVE, None, "Rep: only us talking", POSITIVE + " " + NEGATIVE]
    terms = note_terms(notes)
    vocabulary = fit_vocabulary_terms(terms, [np.array([1.0, 0.0, 0.0, 1.0, 1.0])], config=VocabularyConfig(min_df=1))
    from_counts = vocabulary.rows(documents_from_terms(vocabulary, terms))
    np.testing.assert_array_equal(from_counts, vocabulary.transform(notes))


def test_term_counts_read_with_other_names_are_refused() -> None:
    terms = note_terms([POSITIVE], own_names=("Acme",))
    with pytest.raises(ValueError, match="other speaker names"):
        documents_from_terms(_vocabulary(), terms)


def test_batch_rows_match_single_rows_with_scorers() -> None:
    base = _vocabulary()
    scorer = TextScorer("progression", tuple(0.1 * (j + 1) for j in range(len(base.terms))), -0.2)
    vocabulary = TextVocabulary(base.terms, base.idf, columns=2, scorers=(scorer,))
    documents = vocabulary.documents([POSITIVE, None, NEGATIVE, "Rep: only us"])
    batch = vocabulary.rows(documents)
    single = np.vstack([vocabulary.row(d) for d in documents])
    np.testing.assert_allclose(batch, single, rtol=1e-12)
    assert np.isnan(batch[1]).all() and np.isnan(batch[3]).all()
