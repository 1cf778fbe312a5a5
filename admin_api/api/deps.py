"""FastAPI dependencies: the app's services and API-key checks (Bearer for the API; cookie or key for pages).

They are `async` because they never block: FastAPI runs a plain `def` dependency in its thread pool, a hop per
dependency per request that costs more than the check itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from structlog import get_logger

from admin_api.api.auth import SESSION_COOKIE, DashboardSession, bearer_token
from admin_api.api.errors import ApiError
from admin_api.api.proxies import guess_bucket
from admin_api.api.services import Services

log = get_logger(__name__)


async def get_services(request: Request) -> Services:
    """The services built once by the app factory."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def key_matches(services: Services, request: Request, key: str) -> bool:
    """Whether `key` is a configured key; wrong keys count towards the brake, and a braked client gets a 429
    before its key is even compared (so a blocked guesser learns nothing)."""
    client = services.proxies.client_address(request)
    bucket = guess_bucket(client, key)
    wait = services.limiter.retry_after(bucket)
    if wait is not None:
        raise ApiError(
            429, "too_many_requests", "too many wrong API keys; try again later", headers={"Retry-After": str(wait)}
        )
    if services.keys.matches(key):
        return True
    services.limiter.record_failure(bucket)
    log.warning("auth.rejected", client=client, path=request.url.path)
    return False


def check_key(services: Services, request: Request, token: str | None) -> None:
    """Accept a request carrying a configured key; brake clients that keep presenting wrong ones."""
    if not services.keys.configured:
        raise _unauthorized("no API keys are configured on this server; set FELLOW_API_KEYS")
    if token is None:
        raise _unauthorized("missing API key: send 'Authorization: Bearer <key>'")
    if not key_matches(services, request, token):
        raise _unauthorized("invalid API key")


async def require_api_key(request: Request, services: ServicesDep) -> None:
    """Dependency for scoring and admin routes: a valid `Authorization: Bearer` key."""
    check_key(services, request, bearer_token(request.headers.get("authorization")))


async def dashboard_session(request: Request, services: ServicesDep) -> DashboardSession | None:
    """The signed-in dashboard session from the cookie, if valid."""
    return services.sessions.verify(request.cookies.get(SESSION_COOKIE))
