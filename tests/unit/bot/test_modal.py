"""The 👎 modal: metadata round trip, parsing of submissions, limits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.modal import (
    COMMENT_ACTION,
    COMMENT_BLOCK,
    REASON_ACTION,
    REASON_BLOCK,
    CardRef,
    feedback_modal,
    parse_submission,
)
from tests.fakes.slack import static_select_state, text_input_state, validate_blocks


def test_metadata_round_trip_and_rejection_of_foreign_values() -> None:
    ref = CardRef(7, channel="C1", ts="1.2", response_url="https://hooks.example/x")
    assert CardRef.from_metadata(ref.to_metadata()) == ref
    for bad in (None, "", "[]", '{"score_id": true}', '{"score_id": "7"}', '{"score_id": 0}', "{"):
        assert CardRef.from_metadata(bad) is None


def test_an_overlong_response_url_is_dropped_from_metadata() -> None:
    ref = CardRef(7, response_url="https://x/" + "a" * 4000)
    assert len(ref.to_metadata()) <= 3000
    assert CardRef.from_metadata(ref.to_metadata()) == CardRef(7)


def test_modal_is_a_valid_view() -> None:
    view = feedback_modal(CardRef(1), "Acme " * 100)
    assert view["type"] == "modal" and len(view["title"]["text"]) <= 24
    assert validate_blocks(view["blocks"], max_blocks=100) == []


def test_parse_submission() -> None:
    view = {"state": {"values": {REASON_BLOCK: {REASON_ACTION: static_select_state("bad_timing")},
                                 COMMENT_BLOCK: {COMMENT_ACTION: text_input_state("  next year  ")}}}}  # fmt: skip
    assert parse_submission(view) == ("bad_timing", "next year", {})
    assert parse_submission({"state": {"values": {}}})[2] == {REASON_BLOCK: "Pick one of the reasons."}
    assert parse_submission({})[0] is None


@given(st.recursive(st.none() | st.text() | st.integers(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)))
def test_parse_submission_never_raises_on_odd_shapes(state: object) -> None:
    reason, _comment, errors = parse_submission({"state": {"values": {REASON_BLOCK: {REASON_ACTION: state}}}})
    assert reason is None or not errors.get(REASON_BLOCK)
