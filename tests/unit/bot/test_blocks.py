"""Score cards: content, escaping, and Block Kit limits for any input."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.blocks import FEEDBACK_DOWN, FEEDBACK_UP, card_blocks, card_text, changes, score_bar
from bot.domain import CardData, Quote, ScoreView, Verdict
from tests.fakes.slack import validate_blocks

WHEN = datetime(2024, 6, 1, 9, 30, tzinfo=UTC)


def view(score: int = 72, **kw: object) -> ScoreView:
    values: dict = {
        "qualification_score": score,
        "voice_ai_fit": 80,
        "recommendation": "AE_HANDOFF",
        "priority": "HIGH_VOICE_AI",
        "reasoning": ("Runs a 200-seat contact center",),
        "signals": frozenset(),
    }
    values.update(kw)
    return ScoreView(**values)


def card(**kw: object) -> CardData:
    values: dict = {
        "score_id": 42,
        "company": "Acme Telecom",
        "domain": "acme.com",
        "lead_name": "Jane Doe, VP Ops",
        "current": view(),
        "confidence": 0.65,
        "quotes": (Quote("voice_ai_interest", "We want a voice agent"),),
        "model_version": "lgbm-2024-06",
        "scorer": "model",
        "scored_at": WHEN,
        "salesforce_url": "https://x.my.salesforce.com/lightning/r/Lead/00Q/view",
        "fellow_url": "https://acme.fellow.app/notes/1",
    }
    values.update(kw)
    return CardData(**values)


def texts(blocks: list[dict]) -> str:
    parts = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            parts.append(b["text"]["text"])
        parts.extend(str(e.get("text", "")) for e in b.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


def test_card_has_everything_an_ae_needs() -> None:
    blocks = card_blocks(card(previous=view(54, recommendation="NURTURE_TRACK")))
    shown = texts(blocks)
    assert blocks[0]["text"]["text"] == "Acme Telecom — 72/100"
    for needle in (
        "AE handoff",
        "High (Voice AI)",
        "Voice AI fit:* 80/100",
        "Runs a 200-seat contact center",
        "We want a voice agent",
        "Score 54 → 72 (+18)",
        "Recommendation Nurture track → AE handoff",
        "<https://x.my.salesforce.com/lightning/r/Lead/00Q/view|Salesforce lead>",
        "<https://acme.fellow.app/notes/1|Fellow call>",
        "Model lgbm-2024-06 (model)",
        "score #42",
    ):
        assert needle in shown, needle
    actions = blocks[-1]
    assert [e["action_id"] for e in actions["elements"]] == [FEEDBACK_UP, FEEDBACK_DOWN]
    assert {e["value"] for e in actions["elements"]} == {"42"}
    assert validate_blocks(blocks) == []


def mrkdwn_texts(blocks: list[dict]) -> str:
    """Only mrkdwn text (plain_text, e.g. the header, is never parsed for links or mentions)."""
    parts = [b["text"]["text"] for b in blocks if isinstance(b.get("text"), dict) and b["text"]["type"] == "mrkdwn"]
    parts.extend(e["text"] for b in blocks for e in b.get("elements", []) if e.get("type") == "mrkdwn")
    return "\n".join(parts)


def test_user_data_cannot_inject_markup_or_links() -> None:
    evil = card(
        company="<!channel> Evil & Co",
        lead_name="<@U123> *bold*",
        quotes=(Quote("x", "click <https://phish.example|here>"),),
        salesforce_url="https://ok.example/|<!here>",
        fellow_url="javascript:alert(1)",
        current=view(reasoning=("<!everyone> reason",)),
    )
    shown = mrkdwn_texts(card_blocks(evil))
    assert "<!channel>" not in shown
    assert "<!everyone>" not in shown and "<https://phish" not in shown and "javascript:" not in shown
    assert "<!here>" not in shown and "<@U123>" not in shown
    assert "&lt;!channel&gt;" in card_text(evil)


def test_verdicts_and_deleted_leads() -> None:
    judged = card(verdicts=(Verdict("U0A", "up"), Verdict("U0B", "down", "not_voice_ai")))
    assert "👍 <@U0A> · 👎 <@U0B> (Not Voice AI)" in texts(card_blocks(judged))
    deleted = card_blocks(card(lead_deleted=True))
    assert all(b["type"] != "actions" for b in deleted)
    assert "feedback is closed" in texts(deleted)


def test_changes_without_history_and_without_movement() -> None:
    assert changes(None, view()) == []
    assert changes(view(), view()) == ["No material change since the last score."]
    moved = changes(view(signals=frozenset({"budget"})), view(signals=frozenset({"budget", "timeline"})))
    assert moved == ["New from the calls: timeline"]


def test_score_bar_bands() -> None:
    assert score_bar(100) == "🟩" * 10
    assert score_bar(45).count("🟨") == 4
    assert score_bar(-5) == "⬜" * 10


long_text = st.text(min_size=0, max_size=6000)
card_strategy = st.builds(
    card,
    company=st.text(min_size=0, max_size=500),
    domain=st.none() | st.text(max_size=400),
    lead_name=st.none() | long_text,
    current=st.builds(
        view,
        score=st.integers(-10, 200),
        recommendation=st.text(max_size=100),
        priority=st.text(max_size=100),
        reasoning=st.lists(long_text, max_size=30).map(tuple),
        signals=st.frozensets(st.text(max_size=80), max_size=20),
    ),
    previous=st.none()
    | st.builds(view, score=st.integers(0, 100), reasoning=st.lists(long_text, max_size=5).map(tuple)),
    quotes=st.lists(st.builds(Quote, st.text(max_size=200), long_text), max_size=20).map(tuple),
    model_version=st.text(max_size=300),
    scorer=st.text(max_size=50),
    warnings=st.lists(long_text, max_size=10).map(tuple),
    verdicts=st.lists(
        st.builds(Verdict, st.text(max_size=300), st.sampled_from(["up", "down"]), st.none() | st.text(max_size=50)),
        max_size=200,
    ).map(tuple),
    salesforce_url=st.none() | st.text(max_size=4000).map(lambda t: "https://x.example/" + t),
    fellow_url=st.none() | st.text(max_size=4000),
    score_id=st.integers(1, 10**15),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card_strategy)
def test_any_card_respects_block_kit_limits(data: CardData) -> None:
    blocks = card_blocks(data)
    assert validate_blocks(blocks) == []
    assert len(card_text(data)) <= 3000
