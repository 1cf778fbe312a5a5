"""/qualify end to end: signed slash commands over HTTP, lazy scoring, answers on the fake's response_url."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from store.db import session_scope
from store.repositories import scores
from tests.fakes.core.wait import wait_for
from tests.fakes.slack import FakeSlack, SlackSender
from tests.integration.bot.harness import action_ids, block_texts, button_value


def _score_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return scores.count_scores(session=session)


def _answer(fake: FakeSlack, url: str, index: int = 0) -> dict:
    return wait_for(lambda: len(fake.responses(url)) > index and fake.responses(url), what="response")[index]


def test_domain_is_acknowledged_then_answered_with_a_card(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine
) -> None:
    response, url = slack.command("https://www.ACME.com/pricing")
    assert response.status_code == 200
    assert response.json()["response_type"] == "ephemeral"
    assert "Scoring acme.com" in response.json()["text"]
    answer = _answer(fake_slack, url)
    assert answer["response_type"] == "ephemeral"
    text = block_texts(answer["blocks"])
    assert "Acme Telecom" in text
    assert "lightning/r/Lead/00Q5e00000AbCdEFGH/view" in text and "acme.fellow.app/notes/abc" in text
    assert action_ids(answer["blocks"]) == ["fellow_feedback_up", "fellow_feedback_down"]
    assert _score_count(engine) == 1


def test_lead_id_scores_that_lead(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    response, url = slack.command("00Q5e00000AbCdEFGH")
    assert response.status_code == 200
    answer = _answer(fake_slack, url)
    assert "Jane Doe" in block_texts(answer["blocks"])
    with session_scope(engine) as session:
        (score,) = scores.scores_for_lead(1, session=session)
        assert score.trigger == "slack"


def test_unknown_lead_id_says_what_was_searched(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    _, url = slack.command("00Q000000000000AAA")
    answer = _answer(fake_slack, url)
    assert "Lead Id 00Q000000000000AAA" in block_texts(answer["blocks"])
    assert _score_count(engine) == 0


def test_help_and_empty_input_explain_usage_without_scoring(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine
) -> None:
    for text in ("", "help", "   "):
        response, url = slack.command(text)
        assert response.status_code == 200
        assert "/qualify <domain | company name | Salesforce Lead Id>" in block_texts(response.json()["blocks"])
        assert fake_slack.responses(url) == []
    assert _score_count(engine) == 0


def test_overlong_input_is_refused_politely(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    response, url = slack.command("a" * 5000)
    assert response.status_code == 200
    assert "5,000 characters" in response.json()["text"]
    assert fake_slack.responses(url) == [] and _score_count(engine) == 0


def test_emoji_and_injection_are_searched_literally_and_echoed_escaped(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine
) -> None:
    for text in ("🚀🔥 rocket co", "'; DROP TABLE company; --", "<!channel> <https://evil.example|click> 100%"):
        response, url = slack.command(text)
        assert response.status_code == 200
        assert "<!channel>" not in response.text
        answer = _answer(fake_slack, url)
        shown = block_texts(answer["blocks"])
        assert "found no lead or company" in shown
        assert "<!channel>" not in shown and "<https://evil" not in shown
    assert _score_count(engine) == 0
    _, url = slack.command("acme.com")
    assert "Acme Telecom" in block_texts(_answer(fake_slack, url)["blocks"])


def test_unknown_domain_gets_a_provisional_card(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    _, url = slack.command("newco.io")
    card = _answer(fake_slack, url)
    shown = block_texts(card["blocks"])
    assert "newco.io" in shown and "Provisional" in shown and "no call evidence" in shown
    assert "Salesforce lead or a Fellow call" in shown and "No Salesforce lead" in shown
    assert "Confidence:* 30%" in shown or "Confidence:* 2" in shown or "Confidence:* 1" in shown
    assert "fellow_feedback_up" in action_ids(card["blocks"])
    assert _score_count(engine) == 1


def test_a_domain_only_button_from_an_older_reply_still_scores(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine
) -> None:
    response, click_url = slack.click("fellow_qualify_domain_only", "newco.io", ephemeral=True)
    assert response.status_code == 200
    card = wait_for(lambda: [r for r in fake_slack.responses(click_url) if "fellow_feedback_up" in str(r)])[0]
    assert card["replace_original"] is True
    assert "Provisional" in block_texts(card["blocks"])
    assert _score_count(engine) == 1


def test_ambiguous_name_lists_candidates_and_a_pick_scores_it(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine
) -> None:
    _, url = slack.command("globex")
    listing = _answer(fake_slack, url)
    shown = block_texts(listing["blocks"])
    assert "Globex Corporation" in shown and "Globex Labs" in shown
    assert action_ids(listing["blocks"]) == ["fellow_qualify_pick_0", "fellow_qualify_pick_1"]
    value = button_value(listing["blocks"], "fellow_qualify_pick_1")
    _, click_url = slack.click("fellow_qualify_pick_1", value, ephemeral=True)
    card = wait_for(lambda: [r for r in fake_slack.responses(click_url) if "fellow_feedback_up" in str(r)])[0]
    assert value in block_texts(card["blocks"])
    assert _score_count(engine) == 1


def test_exact_name_and_company_without_leads(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    _, url = slack.command("initech")
    card = _answer(fake_slack, url)
    assert "Initech" in block_texts(card["blocks"])
    assert "fellow_feedback_up" in action_ids(card["blocks"])


def test_share_posts_the_card_in_the_channel(slack: SlackSender, fake_slack: FakeSlack) -> None:
    _, url = slack.command("acme.com share")
    confirmation = _answer(fake_slack, url)
    assert "Shared the card" in confirmation["text"]
    (message,) = fake_slack.messages("sales")
    assert "Acme Telecom" in block_texts(message.blocks)


def test_share_where_the_bot_is_not_a_member_falls_back_to_ephemeral(slack: SlackSender, fake_slack: FakeSlack) -> None:
    private = fake_slack.add_channel("private-deals", bot_member=False)
    _, url = slack.command("acme.com share", fields={"channel_id": private})
    answer = _answer(fake_slack, url)
    assert "invite me" in block_texts(answer["blocks"])
    assert "Acme Telecom" in block_texts(answer["blocks"])
    assert fake_slack.messages(private) == []


def test_a_retried_command_is_not_scored_twice(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    response, url = slack.command("acme.com", retry_num=1)
    assert response.status_code == 200
    _, other = slack.command("initech.com")
    _answer(fake_slack, other)
    assert fake_slack.responses(url) == []
    assert _score_count(engine) == 1


def test_a_failing_backend_gives_a_friendly_message(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine, backend: object, monkeypatch: object
) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(backend, "score_lead", broken)  # type: ignore[attr-defined]
    _, url = slack.command("acme.com")
    answer = _answer(fake_slack, url)
    assert "Scoring failed" in answer["text"]
    assert _score_count(engine) == 0
