"""Short replies, candidate lists, reports and the App Home view stay within Block Kit limits."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.home_view import HomeData, LeadRow, VerdictRow, home_view
from bot.messages import candidate_blocks, help_blocks, report_blocks, unknown_blocks
from tests.fakes.slack import validate_blocks

WHEN = datetime(2024, 6, 1, tzinfo=UTC)


def test_unknown_says_where_it_looked_and_what_would_get_a_score() -> None:
    blocks = unknown_blocks("Some Name", "the synced leads and Salesforce")
    text = blocks[0]["text"]["text"]
    assert "*Some Name* in the synced leads and Salesforce" in text and "`/qualify acme.com`" in text
    assert validate_blocks(blocks) == []


def test_candidates_are_capped_and_ids_unique() -> None:
    blocks = candidate_blocks("co", [(f"Company {i}", f"c{i}.com") for i in range(30)])
    actions = blocks[1]["elements"]
    assert len(actions) == 10 and len({a["action_id"] for a in actions}) == 10
    assert "20 more not shown" in blocks[-1]["elements"][0]["text"]
    assert validate_blocks(blocks) == []


def test_help_mentions_every_input_kind() -> None:
    text = "\n".join(b["text"]["text"] for b in help_blocks("Too long"))
    for needle in ("Too long", "acme.com", "Lead Id", "share"):
        assert needle in text


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=50),
    st.text(max_size=500),
    st.text(max_size=20000),
    st.dictionaries(st.text(max_size=3000), st.text(max_size=3000) | st.floats() | st.integers(), max_size=700),
)
def test_reports_fit_any_payload(kind: str, title: str, text: str, fields: dict) -> None:
    assert validate_blocks(report_blocks(kind, title, text, fields)) == []


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.builds(
            VerdictRow,
            st.text(max_size=500),
            st.integers(0, 100),
            st.sampled_from(["up", "down"]),
            st.none() | st.text(max_size=40),
            st.just(WHEN),
        ),
        max_size=50,
    ),
    st.lists(
        st.builds(LeadRow, st.text(max_size=500), st.integers(0, 100), st.text(max_size=50), st.just(WHEN)), max_size=50
    ),
    st.none() | st.text(max_size=200),
    st.dictionaries(st.text(max_size=30), st.floats() | st.integers() | st.text(max_size=10), max_size=10),
)
def test_home_view_fits_any_data(verdicts: list, leads: list, version: str | None, metrics: dict) -> None:
    view = home_view(HomeData(verdicts=verdicts, leads=leads, model_version=version, metrics=metrics, threshold=60))
    assert view["type"] == "home"
    assert validate_blocks(view["blocks"], max_blocks=100) == []
