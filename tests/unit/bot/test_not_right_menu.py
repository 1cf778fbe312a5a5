"""The "not right" menu beside each quote: one option per signal plus "our rep said it", values that parse back,
within Block Kit's limits; corrected signals are struck out and fully corrected quotes strike their reasons."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks import NOT_RIGHT, SAID_BY_US, card_blocks, not_right_menu
from bot.corrections import parse_not_right
from bot.domain import Quote
from nlp import BOOLEAN_SIGNALS
from tests.fakes.slack import validate_blocks
from tests.unit.bot.test_blocks import card, texts, view


def test_each_quote_has_its_signals_as_options_and_values_parse_back() -> None:
    quote = Quote("budget_confirmed", "CFO signed off on bdgt", ("budget_confirmed", "decision_maker_present"), (3, 5))
    menu = not_right_menu(42, quote)
    assert menu is not None and menu["action_id"] == NOT_RIGHT
    labels = [o["text"]["text"] for o in menu["options"]]
    assert labels[:2] == ["Not right: budget confirmed", "Not right: decision maker present"]
    parsed = [parse_not_right(o["value"]) for o in menu["options"]]
    assert [(p.score_id, p.items, p.kind) for p in parsed if p] == [
        (42, (3,), ""),
        (42, (5,), ""),
        (42, (3, 5), SAID_BY_US),
    ]


def test_corrections_strike_the_signal_and_the_reason_of_a_fully_corrected_quote() -> None:
    quotes = (
        Quote("pricing_requested", "Any questions on pricing?", (), (), ("pricing_requested",)),
        Quote("budget_confirmed", "CFO signed off on bdgt", ("budget_confirmed",), (1,), ("decision_maker_present",)),
    )
    reasons = ('Pricing requested — "Any questions on pricing?" (raises the score)', "Runs a contact center")
    blocks = card_blocks(card(quotes=quotes, current=view(reasoning=reasons)))
    shown = texts(blocks)
    assert "~pricing requested~ _marked not right_" in shown and "~decision maker present~" in shown
    assert '~Pricing requested — "Any questions on pricing?" (raises the score)~' in shown
    assert "• Runs a contact center" in shown
    menus = [b["accessory"] for b in blocks if b.get("accessory")]
    assert len(menus) == 1  # nothing left to correct on the first quote
    assert validate_blocks(blocks) == []


@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=400), st.lists(st.sampled_from(BOOLEAN_SIGNALS), max_size=14)),
        max_size=8,
    ),
    st.integers(min_value=1, max_value=2**31 - 1),
)
@settings(max_examples=60, deadline=None)
def test_cards_with_any_quotes_fit_block_kit(groups: list[tuple[str, list[str]]], score_id: int) -> None:
    quotes = tuple(
        Quote(signals[0] if signals else "x", text, tuple(dict.fromkeys(signals)), tuple(range(len(set(signals)))))
        for text, signals in groups
    )
    assert validate_blocks(card_blocks(card(score_id=score_id, quotes=quotes))) == []


def test_malformed_values_are_refused() -> None:
    for value in ("", "1", "1:2", "x:1:", "1::", "0:1:", "1:1:bogus", "1:1.2.3.4.5.6:", "1:-1:", "1:1000:"):
        assert parse_not_right(value) is None, value
