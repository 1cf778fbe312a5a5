"""/qualify for targets the store does not know: looked up in the fake Salesforce over HTTPS, stored, scored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_bolt import App
from sqlalchemy.engine import Engine

from admin_api.runtime.lookup import build_lead_lookup
from bot.app import build_slack_app
from bot.scoring_backend import ServiceBackend
from store.db import session_scope
from store.repositories import companies, leads, scores
from tests.fakes.core import Fault
from tests.fakes.core.wait import wait_for
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.slack import FakeSlack, SlackSender
from tests.integration.bot.conftest import bot_settings
from tests.integration.bot.harness import action_ids, block_texts, serve


@pytest.fixture
def slack_with_salesforce(
    fake_slack: FakeSlack,
    fake_salesforce: FakeSalesforce,
    engine: Engine,
    backend: ServiceBackend,
    seeded: dict[str, int],
) -> Iterator[SlackSender]:
    """The bot as production wires it, with the Salesforce lookup pointed at the fake."""
    settings = bot_settings(
        fake_slack,
        salesforce_instance_url=fake_salesforce.url,
        salesforce_access_token=fake_salesforce.session_id,
        salesforce_ca_bundle=fake_salesforce.ca_file,
        salesforce_login_url=fake_salesforce.url,
        sync={"salesforce_api_reserve": 0, "max_retries": 0, "http_timeout_seconds": 5.0},
    )
    app: App = build_slack_app(settings, engine=engine, scoring=backend, lookup=build_lead_lookup(settings, engine))
    with serve(app) as base_url:
        sender = SlackSender(base_url, fake_slack)
        yield sender
        sender.http.close()


def _answer(fake: FakeSlack, url: str) -> dict:
    return wait_for(lambda: fake.responses(url), what="response")[0]


def test_unknown_domain_is_found_in_salesforce_stored_and_scored(
    slack_with_salesforce: SlackSender,
    fake_slack: FakeSlack,
    fake_salesforce: FakeSalesforce,
    engine: Engine,
) -> None:
    lead_id = fake_salesforce.add_lead(
        FirstName="Ria", LastName="Shah", Company="Wavelength Voice", Email="ria@wavelength.ai",
        Website="https://www.wavelength.ai", Industry="Telecommunications", NumberOfEmployees=300,
    )  # fmt: skip
    fake_salesforce.add_lead(LastName="Other", Company="Not Wavelength", Website="https://notwavelength.ai")
    _, url = slack_with_salesforce.command("wavelength.ai")
    shown = block_texts(_answer(fake_slack, url)["blocks"])
    assert "Wavelength Voice" in shown and "Ria Shah" in shown and f"Lead {lead_id}" in shown
    assert "Provisional" not in shown
    with session_scope(engine) as session:
        assert companies.get_company_by_domain("notwavelength.ai", session=session) is None
        lead = leads.get_lead_by_salesforce_id(lead_id, session=session)
        assert lead is not None and len(scores.scores_for_lead(lead.id or 0, session=session)) == 1


def test_lead_id_and_name_are_looked_up_too(
    slack_with_salesforce: SlackSender,
    fake_slack: FakeSlack,
    fake_salesforce: FakeSalesforce,
) -> None:
    lead_id = fake_salesforce.add_lead(LastName="Kim", Company="Keystone Voice", Email="kim@keystone-voice.com")
    fake_salesforce.add_lead(LastName="Lee", Company="Keystone Freight", Email="lee@keystonefreight.com")
    _, url = slack_with_salesforce.command("Keystone")
    listing = _answer(fake_slack, url)
    assert "Keystone Freight" in block_texts(listing["blocks"])
    assert action_ids(listing["blocks"]) == ["fellow_qualify_pick_0", "fellow_qualify_pick_1"]
    _, url = slack_with_salesforce.command(f"https://x.lightning.force.com/lightning/r/Lead/{lead_id}/view")
    assert "Keystone Voice" in block_texts(_answer(fake_slack, url)["blocks"])


def test_nothing_anywhere_says_where_it_looked(
    slack_with_salesforce: SlackSender,
    fake_slack: FakeSlack,
    fake_salesforce: FakeSalesforce,
) -> None:
    _, url = slack_with_salesforce.command("Nobody Industries")
    shown = block_texts(_answer(fake_slack, url)["blocks"])
    assert "the synced leads and Salesforce" in shown and "/qualify acme.com" in shown
    assert fake_salesforce.call_count() >= 1


def test_salesforce_down_still_gives_a_provisional_card(
    slack_with_salesforce: SlackSender,
    fake_slack: FakeSlack,
    fake_salesforce: FakeSalesforce,
    engine: Engine,
) -> None:
    fake_salesforce.inject("*", Fault(503, body="unavailable"), times=10)
    _, url = slack_with_salesforce.command("newco.io")
    shown = block_texts(_answer(fake_slack, url)["blocks"])
    assert "Provisional" in shown and "newco.io" in shown
