"""A product serving the Lead-page panel, a fake org with the canvas app installed, Slack on the fake: the shared
setting of the canvas tests (HTTP and Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.api.services import build_services
from admin_api.app import create_app
from admin_api.demo.sample_data import generate_sample
from admin_api.demo.seed import seed_dataset
from admin_api.runtime.bootstrap import backfill_scores
from nlp import SignalExtractor
from store.db import session_scope
from store.repositories.leads import list_leads
from store.repositories.scores import latest_score
from store.tables import Lead, Score
from tests.fakes.core.live_server import live_server
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.salesforce.canvas import CanvasApp, CanvasUser
from tests.fakes.slack import SIGNING_SECRET, FakeSlack, SlackSender
from tests.integration.admin_api.conftest import api_settings

CONSUMER_SECRET = "canvas-consumer-secret-4f9e2a7c0b"
SLACK_USER = "U0FAKEUSR1"


@dataclass
class CanvasWorld:
    """Everything a canvas test touches."""

    url: str
    engine: Engine
    org: FakeSalesforce
    app: CanvasApp
    ae: CanvasUser
    stranger: CanvasUser
    slack: SlackSender
    scored: Lead
    score: Score
    unscored: Lead


def _pick(engine: Engine) -> tuple[Lead, Score, Lead]:
    """A scored lead with call evidence, its latest score, and a lead with no score (all with Salesforce ids)."""
    with Session(engine) as session:
        scored: tuple[Lead, Score] | None = None
        unscored = None
        for lead in list_leads(session=session):
            if not lead.salesforce_id or lead.id is None:
                continue
            score = latest_score(lead.id, session=session)
            if score is None and unscored is None:
                unscored = lead
            if score is not None and score.evidence and scored is None:
                scored = (lead, score)
        assert scored is not None and unscored is not None, "the sample has no scored lead with evidence"
        return scored[0], scored[1], unscored


@contextmanager
def canvas_world(
    database_url: str,
    tmp_path: Path,
    engine: Engine,
    extractor: SignalExtractor,
    org: FakeSalesforce,
    slack: FakeSlack,
) -> Iterator[CanvasWorld]:
    """Seed a sample, serve the product with the panel on, install the canvas app in the fake org."""
    ae = org.add_user("Alex Rivera", "alex.rivera@example.com")
    stranger = org.add_user("Sam Lee", "sam.lee@example.com")
    settings = api_settings(
        database_url,
        tmp_path,
        salesforce_canvas_secret=SecretStr(CONSUMER_SECRET),
        salesforce_instance_url=org.url,
        salesforce_access_token=SecretStr(org.session_id),
        salesforce_ca_bundle=Path(org.ca_file),
        slack_bot_token=SecretStr(slack.token),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=slack.api_url,
        canvas={"frame_ancestors": [org.url], "user_map": {ae.user_id: SLACK_USER}},
    )
    with session_scope(engine) as session:
        seed_dataset(generate_sample(40, 3), session=session)
    backfill_scores(settings, engine, extractor, limit=12)
    scored, score, unscored = _pick(engine)
    services = build_services(settings, engine=engine, extractor=extractor, retrain_job=lambda _s, _e, _x: None)
    product = create_app(settings, services=services, model_refresh_seconds=0.2)
    with live_server(product) as url:
        app = org.install_canvas_app(f"{url}/salesforce/canvas", CONSUMER_SECRET)
        yield CanvasWorld(
            url=url,
            engine=engine,
            org=org,
            app=app,
            ae=ae,
            stranger=stranger,
            slack=SlackSender(base_url=url, fake=slack),
            scored=scored,
            score=score,
            unscored=unscored,
        )
