"""Dashboard routes: login, the pages, model reports and the CSRF-protected actions (reload, rollback, retrain,
"not right" on a lead's reason)."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from admin_api.api.auth import SESSION_COOKIE, DashboardSession, bearer_token
from admin_api.api.deps import ServicesDep, check_key, key_matches
from admin_api.api.errors import ApiError
from admin_api.api.routes.models import reload_version
from admin_api.api.services import Services
from admin_api.dashboard import pages
from admin_api.dashboard.call_stats import CallReadings
from admin_api.dashboard.evidence_page import precision_rows
from admin_api.dashboard.lead_filters import BadLeadQuery, parse_lead_query, query_string
from admin_api.dashboard.model_cards import model_actions, report_path, version_cards
from admin_api.dashboard.template_env import harden
from nlp import BOOLEAN_SIGNALS
from store.db import session_scope
from store.repositories.corrections import MAX_COMMENT, UnknownEvidenceError, record_correction
from store.repositories.scores import get_score
from store.text import MAX_ROW_ID

HERE = FilePath(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
harden(TEMPLATES.env)
TEMPLATES.env.globals["leads_url"] = query_string
STATIC = StaticFiles(directory=str(HERE / "static"))
NAV = (
    ("overview", "/dashboard", "Overview"),
    ("trends", "/dashboard/trends", "Trends"),
    ("models", "/dashboard/models", "Model performance"),
    ("insights", "/dashboard/insights", "Qualification insights"),
    ("leads", "/dashboard/leads", "Leads"),
    ("suggestions", "/dashboard/suggestions", "Lexicon suggestions"),
)

router = APIRouter(prefix="/dashboard", include_in_schema=False)


class LoginRequired(Exception):
    """Raised by page guards; the app answers with a redirect to the login form."""


def readings(services: Services) -> CallReadings:
    """The per-process cache of call readings (built on first use)."""
    cache = services.extras.get("call_readings")
    if not isinstance(cache, CallReadings):
        cache = CallReadings(services.extractor)
        services.extras["call_readings"] = cache
    return cache


def _viewer(request: Request, services: Services) -> DashboardSession | None:
    """The session of a signed-in viewer; None for a valid Bearer key (a wrong one is a braked 401, as on the
    API); LoginRequired otherwise."""
    session = services.sessions.verify(request.cookies.get(SESSION_COOKIE))
    if session is not None:
        return session
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise LoginRequired
    check_key(services, request, token)
    return None


def _render(request: Request, services: Services, template: str, active: str, **context: Any) -> HTMLResponse:
    session = _viewer(request, services)
    csrf = services.sessions.csrf_token(session) if session else ""
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"nav": NAV, "active": active, "csrf": csrf, "message": request.query_params.get("msg"), **context},
    )


def _error_page(request: Request, services: Services, status: int, title: str, message: str) -> HTMLResponse:
    """A dashboard page that says what went wrong (404 unknown lead, 400 bad filter) with the status code."""
    response = _render(request, services, "error.html", "", title=title, error=message)
    response.status_code = status
    return response


def _page(request: Request, services: Services, template: str, active: str, build: Any) -> HTMLResponse:
    _viewer(request, services)
    with Session(services.engine) as session:
        context = build(session)
    return _render(request, services, template, active, **context)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    """The sign-in form (an API key)."""
    return TEMPLATES.TemplateResponse(request, "login.html", {"error": None})


@router.post("/login", response_model=None)
def login(request: Request, services: ServicesDep, key: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Exchange a valid API key for a signed session cookie; wrong keys count towards the guessing brake."""
    if not key or not services.keys.configured or not key_matches(services, request, key):
        error = (
            "That key is not valid." if services.keys.configured else "No API keys are configured (FELLOW_API_KEYS)."
        )
        return TEMPLATES.TemplateResponse(request, "login.html", {"error": error}, status_code=401)
    cookie, _ = services.sessions.issue()
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=services.sessions.lifetime_seconds,
        httponly=True,
        samesite="strict",
        secure=services.proxies.is_https(request),
        path="/dashboard",
    )
    return response


def _checked_session(request: Request, services: Services, csrf: str) -> None:
    session = _viewer(request, services)
    if session is not None and not services.sessions.check_csrf(session, csrf):
        raise ApiError(403, "csrf_failed", "the form's CSRF token is missing or stale; reload the page and retry")


def _back(message: str) -> RedirectResponse:
    return RedirectResponse(f"/dashboard/models?msg={quote(message)}", status_code=303)


@router.post("/logout", response_model=None)
def logout(request: Request, services: ServicesDep, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session: the cookie is deleted and the session revoked, so a copy of the cookie stops working."""
    _checked_session(request, services, csrf)
    session = services.sessions.verify(request.cookies.get(SESSION_COOKIE))
    if session is not None:
        services.sessions.revoke(session)
    response = RedirectResponse("/dashboard/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/dashboard")
    return response


@router.get("", response_class=HTMLResponse)
def overview(request: Request, services: ServicesDep) -> HTMLResponse:
    """Calls processed, leads scored, handoff rate, sentiment, companies."""
    return _page(request, services, "overview.html", "overview", lambda s: pages.overview(s, readings(services)))


@router.get("/trends", response_class=HTMLResponse)
def trends(request: Request, services: ServicesDep) -> HTMLResponse:
    """Daily volumes, score and sentiment distributions, follow-up rate."""
    return _page(request, services, "trends.html", "trends", lambda s: pages.trends(s, readings(services)))


@router.get("/models", response_class=HTMLResponse)
def models(request: Request, services: ServicesDep) -> HTMLResponse:
    """Model quality over versions, calibration, drift alerts and the registry with actions."""

    def build(session: Session) -> dict[str, Any]:
        scorer = services.scorers.current
        context = pages.model_performance(session)
        cards = version_cards(context["versions"], session=session, reports_dir=_reports_dir(services))
        shadow = None if scorer.shadow is None else scorer.shadow.model_version
        actions = model_actions(context["versions"], session=session, serving=scorer.model_version)
        return {
            **context,
            **cards,
            "actions": actions,
            "retrain": services.retrainer.status,
            "serving": scorer.model_version,
            "serving_kind": scorer.kind,
            "shadow": shadow,
        }

    return _page(request, services, "models.html", "models", build)


def _reports_dir(services: Services) -> FilePath:
    return FilePath(services.settings.learning.reports_dir)


@router.get("/models/{version}/report", response_class=HTMLResponse)
def model_report(request: Request, services: ServicesDep, version: str) -> Response:
    """The HTML evaluation report written when a version was trained (or reviewed after its shadow period)."""
    _viewer(request, services)
    path = report_path(_reports_dir(services), version)
    if path is None or not path.is_file():
        return _error_page(
            request,
            services,
            404,
            "No evaluation report",
            f"There is no evaluation report for model version {version!r}: reports are written when a version is"
            " trained, into the reports folder.",
        )
    return FileResponse(path, media_type="text/html")


@router.get("/learn/retrain/status", response_model=None)
def retrain_status(request: Request, services: ServicesDep) -> JSONResponse:
    """The state of the last retraining run started from this server: idle, running, finished or failed."""
    _viewer(request, services)
    return JSONResponse(services.retrainer.status.to_dict(), headers={"cache-control": "no-store"})


@router.get("/insights", response_class=HTMLResponse)
def insights(request: Request, services: ServicesDep) -> HTMLResponse:
    """Score distribution, recommendation breakdown, top companies, industry patterns."""
    return _page(request, services, "insights.html", "insights", pages.insights)


@router.get("/leads", response_class=HTMLResponse)
def leads(request: Request, services: ServicesDep) -> HTMLResponse:
    """Scored leads: search (company, domain, e-mail, Lead Id), filters, sort and paging, all done in SQL."""
    _viewer(request, services)
    try:
        query = parse_lead_query(request.query_params)
    except BadLeadQuery as exc:
        return _error_page(request, services, 400, "That filter is not valid", str(exc))
    return _page(request, services, "leads.html", "leads", lambda s: pages.leads(s, query))


@router.get("/suggestions", response_class=HTMLResponse)
def suggestions(request: Request, services: ServicesDep) -> HTMLResponse:
    """The newest `fellow nlp suggest` review file: phrase, signal guess, counts and one example quote."""
    _viewer(request, services)
    with Session(services.engine) as session:
        precision = precision_rows(session)
    return _render(
        request,
        services,
        "suggestions.html",
        "suggestions",
        **pages.suggestions(services.settings.data_dir),
        **precision,
    )


@router.get("/leads/{lead_id}", response_class=HTMLResponse)
def lead(request: Request, services: ServicesDep, lead_id: Annotated[str, Path(max_length=40)]) -> HTMLResponse:
    """One lead's score history, reasons, evidence, calls and feedback (an unknown or malformed id is a 404 page)."""
    _viewer(request, services)
    number = int(lead_id) if lead_id.isascii() and lead_id.isdigit() else 0
    context = None
    if 1 <= number <= MAX_ROW_ID:
        with Session(services.engine) as session:
            context = pages.lead(session, number)
    if context is None:
        return _error_page(
            request,
            services,
            404,
            "Lead not found",
            f"There is no lead #{lead_id[:40]}. The link may be old, or the lead was never synced:"
            " search the leads instead.",
        )
    return _render(request, services, "lead.html", "leads", **context)


@router.post("/models/reload", response_model=None)
def reload(
    request: Request,
    services: ServicesDep,
    version: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Hot-swap to the chosen registered version."""
    _checked_session(request, services, csrf)
    try:
        result = reload_version(services, version)
    except ApiError as exc:
        return _back(f"Reload failed: {exc.message}")
    return _back(f"Now serving {result.current} (was {result.previous}).")


@router.post("/models/rollback", response_model=None)
def rollback(request: Request, services: ServicesDep, csrf: Annotated[str, Form()] = "") -> Response:
    """Go back to the previous champion."""
    _checked_session(request, services, csrf)
    try:
        result = reload_version(services, None)
    except ApiError as exc:
        return _back(f"Rollback failed: {exc.message}")
    return _back(f"Rolled back to {result.current} (was {result.previous}).")


@router.post("/learn/retrain", response_model=None)
def retrain(request: Request, services: ServicesDep, csrf: Annotated[str, Form()] = "") -> Response:
    """Start a retraining run in the background."""
    _checked_session(request, services, csrf)
    started = services.retrainer.start("dashboard")
    return _back("Retraining started." if started else "A retraining run is already in progress.")


@router.post("/leads/{lead_id}/corrections", response_model=None)
def not_right(
    request: Request,
    services: ServicesDep,
    lead_id: str,
    score_id: Annotated[str, Form(max_length=20)] = "",
    evidence_index: Annotated[str, Form(max_length=5)] = "",
    who: Annotated[str, Form(max_length=60)] = "",
    corrected_signal: Annotated[str, Form(max_length=40)] = "",
    comment: Annotated[str, Form(max_length=MAX_COMMENT)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Record an AE's "not right" on one reason of the lead's score (optionally what it should have been).

    The CSRF token is checked before anything else in the form, so only the token decides whether a post counts.
    """
    _checked_session(request, services, csrf)
    lead, score, index = _row_id(lead_id, "lead"), _row_id(score_id, "score_id"), _row_id(evidence_index, "item")
    name = " ".join(who.split())
    if not name:
        raise ApiError(400, "invalid_input", "say who you are (name or email) so the label can be traced")
    if corrected_signal and corrected_signal not in BOOLEAN_SIGNALS:
        raise ApiError(400, "invalid_input", f"corrected_signal must be one of {', '.join(BOOLEAN_SIGNALS)}")
    with session_scope(services.engine) as session:
        row_score = get_score(score, session=session)
        if row_score is None or row_score.lead_id != lead:
            raise ApiError(404, "not_found", f"score {score} is not a score of lead {lead}")
        try:
            row, _ = record_correction(
                session=session,
                score_id=score,
                evidence_index=index,
                user_id=f"dashboard:{name}"[:64],
                user_name=name,
                corrected_signal=corrected_signal or None,
                comment=comment.strip() or None,
                source="dashboard",
            )
        except UnknownEvidenceError as exc:
            raise ApiError(404, "not_found", str(exc)) from exc
        signal = row.signal
    message = f"Recorded: {signal.replace('_', ' ')} marked not right. Thank you."
    return RedirectResponse(f"/dashboard/leads/{lead}?msg={quote(message)}", status_code=303)


def _row_id(text: str, what: str) -> int:
    """A row id or evidence index from a form or path: digits within range, else a 400 naming the field."""
    value = int(text) if text.strip().isdigit() and len(text.strip()) <= 10 else -1
    if not 0 <= value <= MAX_ROW_ID or (what != "item" and value == 0):
        raise ApiError(400, "invalid_input", f"{what} must be a positive whole number")
    return value
