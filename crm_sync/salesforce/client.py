"""The Salesforce REST client: simple_salesforce in direct mode plus the production behaviour it lacks.

Adds: re-login once on 401 INVALID_SESSION_ID (direct mode never refreshes), bounded backoff with jitter on
REQUEST_LIMIT_EXCEEDED, 5xx and network errors, a timeout on every call (via the session), and a stop before
the org's 24 h API allocation falls to the configured reserve (read from the Sforce-Limit-Info header).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError as LibraryError,
)
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceRefusedRequest,
)
from structlog import get_logger

from config import Settings
from crm_sync.http import make_session
from crm_sync.salesforce.auth import Authenticator, Token
from crm_sync.salesforce.errors import (
    ApiBudgetExhausted,
    SalesforceAuthError,
    SalesforceRequestError,
    SalesforceUnavailable,
)
from crm_sync.salesforce.records import is_salesforce_id

log = get_logger(__name__)
T = TypeVar("T")
MAX_COLLECTION_RECORDS = 200
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0


@dataclass(frozen=True)
class ApiUsage:
    """The org's rolling 24 h API usage as last reported by Salesforce."""

    used: int
    total: int

    @property
    def remaining(self) -> int:
        """Calls left in the allocation."""
        return max(0, self.total - self.used)


class SalesforceApi(Protocol):
    """What the flows need from Salesforce (the real client, or a fake in tests)."""

    def query(self, soql: str) -> Iterator[dict[str, Any]]:
        """Every record of a SOQL query, following queryMore pages."""
        ...

    def get_record(self, sobject: str, record_id: str, fields: Sequence[str]) -> dict[str, Any] | None:
        """One record's fields, or None when it does not exist (or was deleted)."""
        ...

    def describe(self, sobject: str) -> dict[str, Any]:
        """The object's describe (fields with type, length, updateable, picklist values)."""
        ...

    def update_collection(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """PATCH composite/sobjects (allOrNone false): per-record results in order."""
        ...

    def user_id(self) -> str | None:
        """The id of the user this integration acts as (its writes carry it as LastModifiedById)."""
        ...

    def check_budget(self) -> None:
        """Raise ApiBudgetExhausted when the remaining allocation is at or under the reserve."""
        ...


def _error_code(exc: LibraryError) -> tuple[str, str]:
    content = exc.content
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("errorCode", "")), str(content[0].get("message", ""))
    return "", str(content)[:200]


class SalesforceClient:
    """Salesforce REST API with re-login, bounded retries, timeouts and an API-budget reserve."""

    def __init__(
        self,
        authenticator: Authenticator,
        session: requests.Session,
        *,
        version: str,
        reserve: int,
        max_retries: int,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.authenticator = authenticator
        self.session = session
        self.version = version
        self.reserve = reserve
        self.max_retries = max_retries
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.usage: ApiUsage | None = None
        self.calls = 0
        self._sf: Salesforce | None = None
        self._user_id: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, sleep: Callable[[float], None] = time.sleep) -> SalesforceClient:
        """Build the client from Settings (session with timeout and CA bundle; login on first use)."""
        session = make_session(settings.sync.http_timeout_seconds, settings.salesforce_ca_bundle)
        return cls(
            Authenticator(settings, session),
            session,
            version=settings.salesforce_api_version,
            reserve=settings.sync.salesforce_api_reserve,
            max_retries=settings.sync.max_retries,
            sleep=sleep,
        )

    # connection ---------------------------------------------------------------------------------------------
    def _connect(self, token: Token) -> Salesforce:
        self._sf = Salesforce(
            session_id=token.access_token, instance_url=token.instance_url, session=self.session, version=self.version
        )
        return self._sf

    def _library(self) -> Salesforce:
        return self._sf or self._connect(self.authenticator.initial_token())

    def _relogin(self) -> Salesforce:
        if not self.authenticator.can_login:
            raise SalesforceAuthError(
                "Salesforce rejected the access token (INVALID_SESSION_ID) and no login method is configured to "
                "renew it; set a new FELLOW_SALESFORCE_ACCESS_TOKEN or configure JWT / client-credentials login"
            )
        log.info("salesforce.relogin", mode=self.authenticator.mode)
        return self._connect(self.authenticator.login())

    # budget -------------------------------------------------------------------------------------------------
    def check_budget(self) -> None:
        """Raise ApiBudgetExhausted when the last reported usage leaves no more than the reserve."""
        usage = self.usage
        if usage is not None and usage.remaining <= self.reserve:
            raise ApiBudgetExhausted(usage.used, usage.total, self.reserve)

    def _record_usage(self, sf: Salesforce) -> None:
        found = sf.api_usage.get("api-usage")
        if found is not None:
            self.usage = ApiUsage(found.used, found.total)

    # the retry loop ------------------------------------------------------------------------------------------
    def _backoff(self, attempt: int) -> float:
        ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)
        return self.rng.uniform(ceiling / 2, ceiling)

    def call(self, name: str, operation: Callable[[Salesforce], T]) -> T:
        """Run one API operation with re-login, bounded retries and the budget check."""
        relogged = False
        attempt = 0
        while True:
            self.check_budget()
            sf = self._library()
            self.calls += 1
            try:
                result = operation(sf)
            except SalesforceExpiredSession:
                if relogged:
                    raise SalesforceAuthError("Salesforce rejected a freshly obtained session") from None
                self._relogin()
                relogged = True
                continue
            except SalesforceRefusedRequest as exc:
                code, message = _error_code(exc)
                if code != "REQUEST_LIMIT_EXCEEDED":
                    raise SalesforceRequestError(exc.status, code, message) from None
                if "TotalRequests" in message:
                    used = self.usage.total if self.usage else 0
                    raise ApiBudgetExhausted(used, used, self.reserve) from None
                reason = code
            except SalesforceGeneralError as exc:
                code, message = _error_code(exc)
                if exc.status < 500:
                    raise SalesforceRequestError(exc.status, code, message) from None
                reason = f"{exc.status} {code}".strip()
            except LibraryError as exc:
                code, message = _error_code(exc)
                raise SalesforceRequestError(exc.status, code, message) from None
            except (requests.Timeout, requests.ConnectionError) as exc:
                reason = type(exc).__name__
            else:
                self._record_usage(sf)
                return result
            if attempt >= self.max_retries:
                raise SalesforceUnavailable(f"Salesforce {name} failed {attempt + 1} times; last: {reason}")
            delay = self._backoff(attempt)
            log.warning(
                "salesforce.retry", call=name, reason=reason, attempt=attempt + 1, delay_seconds=round(delay, 2)
            )
            self.sleep(delay)
            attempt += 1

    # operations --------------------------------------------------------------------------------------------
    def query(self, soql: str) -> Iterator[dict[str, Any]]:
        """Every record of a SOQL query, page by page (each page request retried on its own)."""
        page = self.call("query", lambda sf: sf.query(soql))
        while True:
            yield from page.get("records", [])
            next_url = page.get("nextRecordsUrl")
            if page.get("done", True) or not next_url:
                return
            more = partial(Salesforce.query_more, next_records_identifier=next_url, identifier_is_url=True)
            page = self.call("queryMore", more)

    def get_record(self, sobject: str, record_id: str, fields: Sequence[str]) -> dict[str, Any] | None:
        """GET sobjects/<Object>/<Id>?fields=...; None for a missing or deleted record."""
        params = {"fields": ",".join(fields)}
        try:
            return self.call("sobject.get", lambda sf: sf.restful(f"sobjects/{sobject}/{record_id}", params=params))
        except SalesforceRequestError as exc:
            if exc.status == 404:
                return None
            raise

    def user_id(self) -> str | None:
        """The integration user's id from GET /services/oauth2/userinfo (asked once per client), so the poller
        can tell our own writeback from a person's edit; None when the org does not say."""
        if self._user_id is None:
            info = self.call("userinfo", lambda sf: sf.oauth2("userinfo"))
            found = info.get("user_id") if isinstance(info, dict) else None
            self._user_id = found if is_salesforce_id(found) else None
            log.info("salesforce.integration_user", known=self._user_id is not None)
        return self._user_id

    def describe(self, sobject: str) -> dict[str, Any]:
        """GET sobjects/<Object>/describe."""
        found = self.call("describe", lambda sf: sf.restful(f"sobjects/{sobject}/describe"))
        if not isinstance(found, dict):
            raise SalesforceUnavailable(f"sobjects/{sobject}/describe answered an unexpected body")
        return found

    def update_collection(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """PATCH composite/sobjects with allOrNone false (at most 200 records); per-record results in order."""
        if len(records) > MAX_COLLECTION_RECORDS:
            raise ValueError(f"at most {MAX_COLLECTION_RECORDS} records per collection call, got {len(records)}")
        body = {"allOrNone": False, "records": records}
        results = self.call(
            "composite.sobjects", lambda sf: sf.restful("composite/sobjects", method="PATCH", json=body)
        )
        if not isinstance(results, list) or len(results) != len(records):
            raise SalesforceUnavailable("composite/sobjects answered an unexpected body")
        return results
