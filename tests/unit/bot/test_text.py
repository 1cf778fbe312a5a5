"""Escaping and clipping of user data for Slack."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.text import clip, escape, mention, safe, slack_len


def test_escape_neutralises_links_and_mentions() -> None:
    assert escape("<!channel> & <https://x|y>") == "&lt;!channel&gt; &amp; &lt;https://x|y&gt;"


def test_clip_keeps_short_text_and_marks_cuts() -> None:
    assert clip("short", 10) == "short"
    assert clip("abcdefghij", 5) == "abcd…"


def test_clip_never_leaves_half_an_entity() -> None:
    assert clip(escape("aaa<b"), 6) == "aaa…"


def test_astral_characters_count_twice() -> None:
    assert slack_len("🚀") == 2
    assert slack_len(clip("🚀" * 10, 5)) <= 5


def test_mention_only_for_well_formed_ids() -> None:
    assert mention("U0FAKEUSR1") == "<@U0FAKEUSR1>"
    assert mention("<!channel>") == "&lt;!channel&gt;"


def test_safe_collapses_whitespace_and_control_characters() -> None:
    assert safe("a\n\tb\x00c", 50) == "a b c"
    assert safe("   ", 50) == "—"


@given(st.text(), st.integers(min_value=1, max_value=400))
def test_clip_always_fits(text: str, limit: int) -> None:
    clipped = clip(text, limit)
    assert slack_len(clipped) <= limit
    assert clipped == text or clipped.endswith("…")


@given(st.text())
def test_safe_output_has_no_raw_angle_brackets(text: str) -> None:
    out = safe(text, 3000)
    assert "<" not in out and ">" not in out
