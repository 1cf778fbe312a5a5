"""The Lead-page panel's routes: Salesforce POSTs a signed request to open it; its forms post 👍/👎 and "score now"
with the panel token. Every answer is HTML for the iframe, framed only by the org's configured origins."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from structlog import get_logger

from admin_api.api.deps import ServicesDep
from admin_api.api.headers import FRAMED_PREFIX
from admin_api.api.services import Services
from admin_api.dashboard.canvas import token as panel_token
from admin_api.dashboard.canvas.framing import content_security_policy
from admin_api.dashboard.canvas.panel import find_lead, panel_context
from admin_api.dashboard.template_env import harden
from config import Settings
from config.log_throttle import ThrottledLog
from crm_sync.salesforce.canvas import CanvasContext, CanvasError, same_record, verify_signed_request
from crm_sync.salesforce.errors import SalesforceError
from crm_sync.salesforce.inbound import InboundError, handle_lead_push
from store.db import session_scope
from store.enums import FeedbackReason, FeedbackVerdict, ScoreTrigger
from store.repositories import feedback, scores
from store.text import is_row_id
from store.types import utcnow

LEAD_PREFIX = "00Q"
MAX_COMMENT = 2000
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
harden(TEMPLATES.env)
log = get_logger(__name__)
refusals = ThrottledLog(__name__)
router = APIRouter(prefix=FRAMED_PREFIX, include_in_schema=False)


class PanelRefused(Exception):
    """A request the panel will not serve: answered with a one-line HTML message and `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _secret(settings: Settings) -> str:
    if settings.salesforce_canvas_secret is None:
        raise PanelRefused(503, "The Salesforce panel is off: set FELLOW_SALESFORCE_CANVAS_SECRET on the server.")
    return settings.salesforce_canvas_secret.get_secret_value()


def ae_for(context: CanvasContext, settings: Settings) -> str:
    """The AE id a Salesforce user acts as: their mapped Slack user id (by Salesforce user id, then email), so a
    Slack click and a panel click by the same person are one verdict; else `sf:<Salesforce user id>`."""
    users = settings.canvas.user_map
    by_email = users.get(context.user_email.casefold()) if context.user_email else None
    return users.get(context.user_id[:15]) or by_email or f"sf:{context.user_id}"


def _html(request: Request, settings: Settings, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status)
    response.headers["content-security-policy"] = content_security_policy(settings)
    response.headers["cache-control"] = "no-store"
    return response


def _refusal(request: Request, settings: Settings, exc: PanelRefused | CanvasError) -> HTMLResponse:
    status = exc.status
    refusals.warning("canvas.refused", path=request.url.path, status=status, reason=str(exc)[:120])
    return _html(request, settings, "canvas_error.html", status, message=str(exc))


def _render_panel(
    request: Request,
    settings: Settings,
    services: Services,
    claims: panel_token.PanelClaims,
    message: str | None = None,
) -> HTMLResponse:
    """The panel for the claims' record; its forms carry the same claims (the expiry does not slide: after
    `canvas.panel_minutes` the AE reloads the Lead page and Salesforce signs a fresh request)."""
    with session_scope(services.engine) as session:
        context = panel_context(claims.record_id, claims.ae_id, session=session, settings=settings)
        response = _html(
            request,
            settings,
            "canvas.html",
            panel=panel_token.issue(claims, _secret(settings)),
            viewer=claims.user_name or claims.salesforce_user_id,
            message=message,
            **context,
        )
    return response


def _claims(context: CanvasContext, settings: Settings, now: datetime) -> panel_token.PanelClaims:
    if context.record_id is None:
        raise PanelRefused(400, "Open this panel from a Lead record page (the signed request names no record).")
    if (context.record_type or "Lead") != "Lead" or not context.record_id.startswith(LEAD_PREFIX):
        raise PanelRefused(403, "This panel only shows Leads.")
    return panel_token.PanelClaims(
        salesforce_user_id=context.user_id,
        ae_id=ae_for(context, settings),
        user_name=context.user_name,
        record_id=context.record_id,
        expires=panel_token.expiry(now, settings.canvas.panel_minutes),
    )


@router.post("", response_class=HTMLResponse)
async def open_panel(
    request: Request, services: ServicesDep, signed_request: Annotated[str, Form()] = "", record: str | None = None
) -> HTMLResponse:
    """Salesforce's canvas POST: verify the signed request, then show the verified record's lead (a `record`
    query parameter, if the placement adds one, must name the same record)."""
    settings = services.settings
    try:
        now = utcnow()
        context = verify_signed_request(
            signed_request,
            _secret(settings),
            now=now,
            max_age_seconds=settings.canvas.max_age_seconds,
            clock_skew_seconds=settings.canvas.clock_skew_seconds,
        )
        claims = _claims(context, settings, now)
        if record is not None and not same_record(record, claims.record_id):
            raise PanelRefused(403, "The record asked for is not the record this Salesforce page is showing.")
    except (CanvasError, PanelRefused) as exc:
        return _refusal(request, settings, exc)
    log.info("canvas.opened", record_id=claims.record_id, salesforce_user=claims.salesforce_user_id)
    return await run_in_threadpool(_render_panel, request, settings, services, claims)


def _verified_claims(settings: Settings, panel: str) -> panel_token.PanelClaims:
    try:
        return panel_token.verify(panel, _secret(settings), now=utcnow())
    except panel_token.PanelTokenError as exc:
        raise PanelRefused(403, str(exc)) from None


def _parse_feedback(verdict: str, reason: str, comment: str) -> tuple[str, str | None, str | None]:
    if verdict not in {v.value for v in FeedbackVerdict}:
        raise PanelRefused(400, "Choose 👍 or 👎.")
    if verdict == FeedbackVerdict.DOWN and reason not in {r.value for r in FeedbackReason}:
        raise PanelRefused(400, "Pick one of the reasons for 👎.")
    text = comment.strip()
    if len(text) > MAX_COMMENT:
        raise PanelRefused(400, f"Please keep the comment under {MAX_COMMENT} characters.")
    return verdict, reason if verdict == FeedbackVerdict.DOWN else None, text or None


def _record(
    services: Services,
    claims: panel_token.PanelClaims,
    score_id: int,
    verdict: str,
    reason: str | None,
    comment: str | None,
) -> None:
    with session_scope(services.engine) as session:
        score = scores.get_score(score_id, session=session)
        lead = find_lead(claims.record_id, session=session)
        if score is None or lead is None or score.lead_id != lead.id:
            raise PanelRefused(403, "That score is not about the lead on this page.")
        feedback.record_feedback(
            session=session,
            score_id=score_id,
            user_id=claims.ae_id,
            verdict=verdict,
            user_name=(claims.user_name or "")[:255] or None,
            reason=reason,
            comment=comment,
            source="salesforce",
            salesforce_user_id=claims.salesforce_user_id[:18],
        )


@router.post("/feedback", response_class=HTMLResponse)
async def give_feedback(
    request: Request,
    services: ServicesDep,
    panel: Annotated[str, Form()] = "",
    score_id: Annotated[str, Form()] = "",
    verdict: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """👍 / 👎 from the panel: a Feedback row for the AE behind the Salesforce user, on a score of this lead."""
    settings = services.settings
    try:
        claims = _verified_claims(settings, panel)
        if not score_id.isdigit() or not is_row_id(int(score_id)):
            raise PanelRefused(400, "The form names no score; reload the Lead page.")
        parsed = _parse_feedback(verdict, reason, comment)
        await run_in_threadpool(_record, services, claims, int(score_id), *parsed)
    except (CanvasError, PanelRefused) as exc:
        return _refusal(request, settings, exc)
    log.info("canvas.feedback", score_id=int(score_id), verdict=parsed[0], reason=parsed[1], ae=claims.ae_id)
    thanks = "Thanks: your 👍 is recorded." if parsed[0] == FeedbackVerdict.UP else "Thanks: your 👎 is recorded."
    return await run_in_threadpool(_render_panel, request, settings, services, claims, thanks)


def _score_now(services: Services, request: Request, claims: panel_token.PanelClaims) -> str:
    sync = request.app.state.sync
    with session_scope(services.engine) as session:
        lead = find_lead(claims.record_id, session=session)
        if lead is not None and lead.id is not None:
            scored = sync.rescore(lead.id, session=session, trigger=ScoreTrigger.SALESFORCE_INBOUND)
            return "Scored." if scored is not None else "This lead is converted or closed, so it is not scored."
    if sync.salesforce is None:
        raise PanelRefused(503, "This lead is not synced yet and Salesforce is not configured on the server.")
    try:
        handle_lead_push(
            claims.record_id,
            client=sync.salesforce,
            engine=sync.engine,
            rescore=sync.rescore,
            own_domains=services.settings.company.own_domains,
        )
    except InboundError as exc:
        raise PanelRefused(exc.status, str(exc)) from None
    except SalesforceError as exc:
        log.warning("canvas.score_failed", error_type=type(exc).__name__, error=str(exc)[:200])
        raise PanelRefused(502, "Salesforce did not answer in time; try again in a minute.") from None
    return "Scored."


@router.post("/score", response_class=HTMLResponse)
async def score_now(request: Request, services: ServicesDep, panel: Annotated[str, Form()] = "") -> HTMLResponse:
    """ "Score now" for a lead without a score: fetch it from Salesforce when it is not synced yet, then score it."""
    settings = services.settings
    try:
        claims = _verified_claims(settings, panel)
        message = await run_in_threadpool(_score_now, services, request, claims)
    except (CanvasError, PanelRefused) as exc:
        return _refusal(request, settings, exc)
    log.info("canvas.scored", record_id=claims.record_id)
    return await run_in_threadpool(_render_panel, request, settings, services, claims, message)
