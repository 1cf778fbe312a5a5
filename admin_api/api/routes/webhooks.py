"""Inbound webhooks: a Salesforce Flow pushing a Lead Id for immediate scoring, and Fellow note events."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from structlog import get_logger

from admin_api.api.deps import ServicesDep
from admin_api.api.errors import ApiError
from config.log_throttle import ThrottledLog
from crm_sync.fellow.webhook import WebhookError, handle_webhook, verify_signature
from crm_sync.jobs import SyncContext, ingest_fellow_calls
from crm_sync.salesforce.inbound import SECRET_HEADER, InboundError, handle_lead_push, lead_id_from, verify_secret

log = get_logger(__name__)
refusals = ThrottledLog(__name__)
router = APIRouter(prefix="/webhooks", tags=["webhooks"])
CHALLENGE = re.compile(r"[A-Za-z0-9._~-]{1,256}")
MAX_UNSIGNED_BYTES = 1024  # an unsigned delivery can only be a url_verification, which is tiny


def _sync(request: Request) -> SyncContext:
    return request.app.state.sync


def _error_code(status: int) -> str:
    return {400: "bad_request", 401: "unauthorized", 404: "not_found", 422: "invalid_request"}.get(
        status, "unavailable"
    )


def _refused(request: Request, status: int, message: str) -> ApiError:
    """The error to raise for a refused delivery, after one rate-limited log line."""
    refusals.warning("webhook.refused", path=request.url.path, status=status, reason=message[:120])
    return ApiError(status, _error_code(status), message)


def _verified_fellow_event(request: Request, body: bytes, headers: dict[str, str]) -> Any:
    """Verify a Fellow delivery on its raw bytes, then parse it (`handle_webhook` decides what to do)."""
    settings = _sync(request).settings
    secret = settings.fellow_webhook_secret
    if secret is None and not settings.api.allow_unsigned_fellow_webhooks:
        raise WebhookError(503, "the Fellow hook is off: set FELLOW_FELLOW_WEBHOOK_SECRET")
    if secret is not None and "svix-signature" in headers:
        verify_signature(secret, headers, body)
    elif secret is not None and len(body) > MAX_UNSIGNED_BYTES:
        raise WebhookError(401, "missing svix-id / svix-timestamp / svix-signature headers")
    result = handle_webhook(body, headers, secret=secret)
    if result.content_type == "text/plain" and not CHALLENGE.fullmatch(result.body):
        raise WebhookError(400, "url_verification challenge must be a short token")
    return result


@router.post("/salesforce/lead", summary="Score a lead now (Salesforce Flow HTTP callout)")
async def salesforce_lead(request: Request, services: ServicesDep) -> dict[str, Any]:
    """Fetch the pushed lead from Salesforce, store it and score it; authenticated by a shared secret header."""
    sync = _sync(request)
    if sync.salesforce is None:
        raise ApiError(503, "unavailable", "Salesforce is not configured on this server")
    try:
        verify_secret(services.settings.salesforce_webhook_secret, request.headers.get(SECRET_HEADER))
        lead_id = lead_id_from(await request.json())
        return await run_in_threadpool(
            handle_lead_push,
            lead_id,
            client=sync.salesforce,
            engine=sync.engine,
            rescore=sync.rescore,
            own_domains=services.settings.company.own_domains,
        )
    except InboundError as exc:
        raise _refused(request, exc.status, str(exc)) from None
    except ValueError:
        raise ApiError(400, "bad_request", "body is not JSON") from None


@router.post("/fellow", summary="Fellow webhook (AI note generated): triggers ingestion")
async def fellow_event(request: Request, background: BackgroundTasks) -> Response:
    """Echo URL verification challenges; verify signed events and re-fetch notes through the API."""
    sync = _sync(request)
    try:
        result = _verified_fellow_event(request, await request.body(), dict(request.headers))
    except WebhookError as exc:
        raise _refused(request, exc.status, str(exc)) from None
    if result.ingest:
        if sync.fellow is None:
            log.warning("fellow.webhook.ingest_skipped", reason="fellow is off", event_type=result.event_type)
        else:
            background.add_task(run_in_threadpool, ingest_fellow_calls, sync)
    return Response(result.body, media_type=result.content_type, status_code=result.status)
