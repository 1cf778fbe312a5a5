"""FakeSalesforce: the Salesforce REST API over HTTPS (trustme CA) with its own error bodies and faults.

Endpoint names (for `calls()`, `call_count()` and `inject()`): oauth.token, soap.login, versions, resources, query,
queryAll, queryMore, describe, describeGlobal, sobject.get, sobject.update, composite.sobjects, limits, userinfo,
lightning.page (a Lead record page framing the installed canvas app), unknown. Every API session acts as the
integration user `API_USER_ID`; seeding and `edit` act as `ADMIN_USER_ID`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tests.fakes.core import FakeServer, Fault, Request, Response
from tests.fakes.core.clock import utc_now
from tests.fakes.core.tls import TestCertificates
from tests.fakes.salesforce.auth import OAuthConfig, Sessions, soap_login_endpoint, token_endpoint
from tests.fakes.salesforce.canvas import CanvasApp, CanvasUser
from tests.fakes.salesforce.errors import ApiError, RecordError, not_found, request_limit_exceeded, session_invalid
from tests.fakes.salesforce.ids import API_USER_ID, make_id
from tests.fakes.salesforce.rest import RestApi, limits_body
from tests.fakes.salesforce.schema import FieldSpec, with_changes
from tests.fakes.salesforce.store import OrgStore, ValidationRule

_SOAP = re.compile(r"^/services/Soap/u/(?P<version>\d+\.\d)/?$")
_DATA = re.compile(r"^/services/data/v(?P<version>\d+\.\d)(?P<rest>/.*)?$")
_SOBJECT = re.compile(r"^/sobjects/(?P<type>\w+)(?:/(?P<id>\w+))?/?$")
_LEAD_PAGE = re.compile(r"^/lightning/r/Lead/(?P<id>00Q\w{12}(?:\w{3})?)/view/?$")
_QUERY_MORE = re.compile(r"^/query/(?P<locator>01g\w+-\d+)/?$")
SERVER_ERROR_BODY = [
    {
        "message": "An unexpected error occurred. Please include this ErrorId if you contact support: "
        "1234567890-12345 (-123456789)",
        "errorCode": "UNKNOWN_EXCEPTION",
    }
]


class FakeSalesforce(FakeServer):
    """Fake org over HTTPS. Use `.url` as instance_url, `.session_id` as the token, `.ca_file` to trust."""

    scheme = "https"

    def __init__(
        self,
        clock: Callable[[], datetime] = utc_now,
        api_usage_total: int = 100_000,
        page_size: int = 2000,
        oauth: OAuthConfig | None = None,
    ) -> None:
        self.certificates = TestCertificates()
        super().__init__(ssl_context=self.certificates.server_context())
        self.store = OrgStore(clock)
        self.rest = RestApi(self.store, page_size)
        self.sessions = Sessions()
        self.oauth = oauth or OAuthConfig()
        self.session_id = self.sessions.issue()
        self.api_usage_total = api_usage_total
        self.api_usage_used = 0
        self._usage_lock = threading.Lock()
        self.canvas_app: CanvasApp | None = None
        self.canvas_viewer: CanvasUser | None = None
        self._users = 0

    @property
    def ca_file(self) -> str:
        """PEM file of the CA that signed the server certificate (give it to `requests` as verify=)."""
        return self.certificates.ca_file

    @property
    def instance(self) -> str:
        """host:port, the form simple_salesforce's `instance=` takes."""
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop serving and delete the CA file."""
        super().stop()
        self.certificates.cleanup()

    # seeding and org changes -----------------------------------------------------------------------------------
    def add_lead(self, **fields: Any) -> str:
        """Insert a Lead (defaults: LastName, Company, Status) and return its 18-char id."""
        values = {"LastName": "Lead", "Company": "Acme", "Status": "Open - Not Contacted", **fields}
        return self.store.insert("Lead", values)

    def seed_leads(self, count: int, **common: Any) -> list[str]:
        """Insert `count` distinct leads (company-N, lead-N@company-N.example) sharing `common` fields."""
        ids = []
        for n in range(count):
            domain = f"company-{n}.example"
            values = {
                "FirstName": "Pat",
                "LastName": f"Lead{n}",
                "Company": f"Company {n}",
                "Email": f"lead-{n}@{domain}",
                "Website": f"https://www.{domain}",
                **common,
            }
            ids.append(self.add_lead(**values))
        return ids

    def add_record(self, sobject: str, **fields: Any) -> str:
        """Insert any supported record (Lead, Opportunity, Account)."""
        return self.store.insert(sobject, fields)

    def record(self, record_id: str) -> dict[str, Any]:
        """A copy of a record's stored values (Python types: datetimes are aware UTC)."""
        found = self.store.find(record_id)
        if found is None:
            raise KeyError(record_id)
        return dict(found.values)

    def edit(self, record_id: str, **fields: Any) -> None:
        """Change a record as a Salesforce user would (bumps SystemModstamp, skips API checks)."""
        self.store.edit(record_id, fields)

    def delete(self, record_id: str) -> None:
        """Delete a record (API writes then fail with ENTITY_IS_DELETED)."""
        self.store.delete(record_id)

    def convert_lead(self, lead_id: str, create_opportunity: bool = True, **opportunity: Any) -> str | None:
        """Convert a lead (Account, and an Opportunity with `opportunity` fields); returns the opportunity id."""
        return self.store.convert_lead(lead_id, opportunity if create_opportunity else None)

    def disable_field_history(self) -> None:
        """Turn Lead field history off: LeadHistory disappears from describe and queries (INVALID_TYPE)."""
        with self.store.lock:
            self.store.schemas.pop("LeadHistory", None)

    def set_stage(self, opportunity_id: str, stage: str) -> None:
        """Move an opportunity to a stage (IsClosed / IsWon follow)."""
        self.store.edit(opportunity_id, {"StageName": stage})

    # schema tweaks (describe follows) -----------------------------------------------------------------------------
    def drop_field(self, sobject: str, name: str) -> None:
        """Remove a field from the object (queries and writes naming it fail with INVALID_FIELD)."""
        with self.store.lock:
            del self.store.schemas[sobject][name]

    def set_field(self, sobject: str, name: str, **changes: Any) -> None:
        """Change a field's describe attributes, e.g. updateable=False or length=40."""
        with self.store.lock:
            spec = self.store.schemas[sobject][name]
            self.store.schemas[sobject][name] = with_changes(spec, **changes)

    def add_field(self, sobject: str, spec: FieldSpec) -> None:
        """Add a field to an object; existing records get None."""
        with self.store.lock:
            self.store.schemas[sobject][spec.name] = spec
            for record in self.store.records.values():
                if record.sobject == sobject:
                    record.values.setdefault(spec.name, None)

    def add_validation_rule(
        self, sobject: str, is_violated: Callable[[dict[str, Any]], bool], message: str, fields: tuple[str, ...] = ()
    ) -> None:
        """Reject API writes whose resulting record makes `is_violated` true (FIELD_CUSTOM_VALIDATION_EXCEPTION)."""
        with self.store.lock:
            self.store.rules.append(ValidationRule(sobject, is_violated, message, fields))

    # faults ----------------------------------------------------------------------------------------------------
    def new_session(self) -> str:
        """Issue another valid access token and make it `.session_id`."""
        self.session_id = self.sessions.issue()
        return self.session_id

    def expire_sessions(self) -> None:
        """Invalidate every token: API calls answer 401 INVALID_SESSION_ID until a new token is obtained."""
        self.sessions.expire_all()

    def request_limit_exceeded(self, endpoint: str = "*", times: int = 1) -> None:
        """Answer the next `times` calls with 403 REQUEST_LIMIT_EXCEEDED."""
        self.inject(endpoint, Fault(403, request_limit_exceeded().body()), times)

    def server_error(self, endpoint: str = "*", times: int = 1) -> None:
        """Answer the next `times` calls with 500 UNKNOWN_EXCEPTION."""
        self.inject(endpoint, Fault(500, SERVER_ERROR_BODY), times)

    def slow(self, endpoint: str, seconds: float, times: int = 1) -> None:
        """Delay the next `times` (otherwise correct) responses of `endpoint`."""
        self.inject(endpoint, Fault(0, delay=seconds), times)

    def fail_record(
        self, record_id: str, status_code: str, message: str, fields: tuple[str, ...] = (), times: int = 1
    ) -> None:
        """Fail the next `times` API writes of one record with a per-record error."""
        self.store.fail_record(record_id, RecordError(status_code, message, fields), times)

    def lock_record(self, record_id: str, times: int = 1) -> None:
        """Make the next `times` writes of a record fail with UNABLE_TO_LOCK_ROW."""
        self.fail_record(record_id, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record", (), times)

    def set_api_usage(self, used: int, total: int | None = None) -> None:
        """Set the 24 h API counter; at used >= total every call answers REQUEST_LIMIT_EXCEEDED."""
        with self._usage_lock:
            self.api_usage_used = used
            if total is not None:
                self.api_usage_total = total

    def expire_query_cursors(self) -> None:
        """Invalidate every nextRecordsUrl (queryMore answers INVALID_QUERY_LOCATOR)."""
        self.rest.expire_cursors()

    # canvas apps ---------------------------------------------------------------------------------------------------
    def add_user(self, full_name: str, email: str) -> CanvasUser:
        """A Salesforce user (005… id) who can open Lead pages."""
        self._users += 1
        return CanvasUser(make_id("005", 900 + self._users), full_name, email)

    def install_canvas_app(self, url: str, consumer_secret: str) -> CanvasApp:
        """Install a connected app with canvas settings: Lead pages frame `url` and sign with `consumer_secret`."""
        self.canvas_app = CanvasApp(url=url, consumer_secret=consumer_secret, instance_url=self.url)
        return self.canvas_app

    # HTTP --------------------------------------------------------------------------------------------------------
    def route(self, request: Request) -> str:
        """Endpoint name for recording and faults (see module docstring)."""
        if request.path.rstrip("/") == "/services/oauth2/token":
            return "oauth.token"
        if request.path.rstrip("/") == "/services/oauth2/userinfo":
            return "userinfo"
        if _LEAD_PAGE.match(request.path):
            return "lightning.page"
        if _SOAP.match(request.path):
            return "soap.login"
        if request.path.rstrip("/") == "/services/data":
            return "versions"
        match = _DATA.match(request.path)
        if match is None:
            return "unknown"
        rest = (match.group("rest") or "/").rstrip("/") or "/"
        if rest == "/":
            return "resources"
        if rest in ("/query", "/queryAll"):
            return rest[1:]
        if _QUERY_MORE.match(rest):
            return "queryMore"
        if rest == "/composite/sobjects":
            return "composite.sobjects"
        if rest == "/limits":
            return "limits"
        if rest == "/sobjects":
            return "describeGlobal"
        if rest.endswith("/describe"):
            return "describe"
        sobject = _SOBJECT.match(rest)
        if sobject and sobject.group("id"):
            return {"GET": "sobject.get", "PATCH": "sobject.update"}.get(request.method, "unknown")
        return "unknown"

    def extra_headers(self, request: Request, endpoint: str) -> dict[str, str]:
        """Sforce-Limit-Info on every data API response, as Salesforce sends it."""
        if endpoint in ("oauth.token", "soap.login", "versions"):
            return {}
        with self._usage_lock:
            return {"Sforce-Limit-Info": f"api-usage={self.api_usage_used}/{self.api_usage_total}"}

    def handle(self, request: Request, endpoint: str) -> Response:
        """Authenticate, count API usage, then serve the resource."""
        if endpoint == "oauth.token":
            if request.method != "POST":
                return Response(405, {"error": "invalid_request", "error_description": "must use HTTP POST"})
            return token_endpoint(request, self.sessions, self.oauth, self.url)
        if endpoint == "soap.login":
            version = _SOAP.match(request.path).group("version")  # type: ignore[union-attr]
            return soap_login_endpoint(request, self.sessions, self.oauth, self.url, version)
        if endpoint == "lightning.page":
            return self._lead_page(request)
        if endpoint == "versions":
            return Response(200, [{"label": "Spring '24", "url": "/services/data/v60.0", "version": "60.0"}])
        try:
            self._authorize(request)
            return self._resource(request, endpoint)
        except ApiError as exc:
            return Response(exc.status, exc.body())

    def _lead_page(self, request: Request) -> Response:
        """The Lead page as `canvas_viewer` sees it (a browser session, not an API one)."""
        if self.canvas_app is None or self.canvas_viewer is None:
            return Response(404, "no canvas app installed or no viewer signed in")
        record_id = _LEAD_PAGE.match(request.path).group("id")  # type: ignore[union-attr]
        page = self.canvas_app.lead_page(self.canvas_viewer, record_id)
        return Response(200, page, {"Content-Type": "text/html; charset=utf-8"})

    def _authorize(self, request: Request) -> None:
        header = request.header("Authorization") or ""
        token = header[7:] if header.startswith("Bearer ") else None
        if not self.sessions.is_valid(token):
            raise session_invalid()
        with self._usage_lock:
            if self.api_usage_used >= self.api_usage_total:
                raise request_limit_exceeded()
            self.api_usage_used += 1

    def _resource(self, request: Request, endpoint: str) -> Response:
        match = _DATA.match(request.path)
        version = match.group("version") if match else "60.0"
        rest = ((match.group("rest") if match else "") or "/").rstrip("/")
        if endpoint in ("query", "queryAll"):
            return self.rest.query(request, version, include_deleted=endpoint == "queryAll")
        if endpoint == "queryMore":
            return self.rest.query_more(rest.rsplit("/", 1)[-1], version)
        if endpoint == "composite.sobjects" and request.method == "PATCH":
            return self.rest.update_collection(request)
        if endpoint == "userinfo":
            return Response(200, {"user_id": API_USER_ID, "organization_id": "00DFAKE0000000001AAA"})
        if endpoint == "limits":
            with self._usage_lock:
                return Response(200, limits_body(self.api_usage_used, self.api_usage_total))
        if endpoint == "describeGlobal":
            return self.rest.describe_global(version)
        if endpoint == "describe":
            return self.rest.describe(rest.split("/")[2], version)
        if endpoint == "resources":
            base = f"/services/data/v{version}"
            return Response(200, {n: f"{base}/{n}" for n in ("query", "queryAll", "sobjects", "limits", "composite")})
        sobject = _SOBJECT.match(rest)
        if sobject and endpoint == "sobject.get":
            return self.rest.get_record(sobject.group("type"), sobject.group("id"), request, version)
        if sobject and endpoint == "sobject.update":
            return self.rest.update_record(sobject.group("type"), sobject.group("id"), request)
        raise not_found()
