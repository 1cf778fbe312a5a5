"""Every Slack surface builder other than the score card (reports, notices, candidate lists, the 👎 modal, App
Home) stays within Block Kit's limits for any input, as checked by the fake Slack's own validator."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.home_view import HomeData, LeadRow, VerdictRow, home_view
from bot.messages import candidate_blocks, help_blocks, notice_blocks, report_blocks, report_text, unknown_blocks
from bot.modal import CardRef, feedback_modal
from store.text import MAX_ROW_ID
from tests.fakes.slack.blocks import validate_blocks

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VIEW_MAX_BLOCKS = 100
text = st.text(max_size=4000)
short = st.text(max_size=300)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | short,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(short, inner, max_size=5),
    max_leaves=20,
)
when = st.datetimes(timezones=st.just(UTC), min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))


@FUZZ
@given(short, short, text, st.dictionaries(short, json_value, max_size=40))
def test_reports_fit(kind: str, title: str, body: str, fields: dict[str, object]) -> None:
    assert validate_blocks(report_blocks(kind, title, body, fields)) == []
    assert 0 < len(report_text(kind, title)) <= 3000


@FUZZ
@given(
    st.none() | text,
    st.text(min_size=1, max_size=4000),  # callers pass fixed, non-empty notices
    text,
    st.none() | short,
    st.lists(st.tuples(short, short), min_size=1, max_size=200),  # shown only when something matched
)
def test_notices_and_candidates_fit(
    problem: str | None, notice: str, searched: str, domain: str | None, candidates: list[tuple[str, str]]
) -> None:
    for blocks in (
        help_blocks(problem),
        notice_blocks(notice),
        unknown_blocks(searched, domain),
        candidate_blocks(searched, candidates),
    ):
        assert validate_blocks(blocks) == []


@FUZZ
@given(
    st.integers(1, MAX_ROW_ID),  # a card's score id is a stored row's
    st.none() | short,
    st.none() | short,
    st.none() | st.text(max_size=5000),
    text,
)
def test_feedback_modal_fits(score_id: int, channel: str | None, ts: str | None, url: str | None, company: str) -> None:
    ref = CardRef(score_id, channel, ts, url)
    view = feedback_modal(ref, company)
    assert validate_blocks(view["blocks"], VIEW_MAX_BLOCKS) == []
    assert len(view["private_metadata"]) <= 3000
    assert CardRef.from_metadata(view["private_metadata"]) is not None
    assert len(view["title"]["text"]) <= 24


@FUZZ
@given(
    st.lists(st.builds(VerdictRow, short, st.integers(-5, 500), short, st.none() | short, when), max_size=80),
    st.lists(st.builds(LeadRow, short, st.integers(-5, 500), short, when), max_size=80),
    st.none() | short,
    st.dictionaries(short, json_value, max_size=30),
    st.integers(0, 100),
)
def test_app_home_fits(
    verdicts: list[VerdictRow], leads: list[LeadRow], version: str | None, metrics: dict[str, object], threshold: int
) -> None:
    view = home_view(HomeData(verdicts, leads, version, metrics, threshold))
    assert view["type"] == "home"
    assert validate_blocks(view["blocks"], VIEW_MAX_BLOCKS) == []
