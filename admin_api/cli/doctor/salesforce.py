"""Doctor checks for Salesforce: connection and login, the org's API budget, and every configured score
field present, writable and of a type the writeback can fill. Uses crm_sync's SalesforceClient."""

from __future__ import annotations

from typing import Any

from admin_api.cli.doctor.domain import Check, Verdict, fail, integration_off, ok, skip, warn
from admin_api.cli.doctor.lead_fields import EXPECTED_FIELDS, FieldExpectation
from config import Settings
from crm_sync.salesforce.auth import auth_mode
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.errors import (
    ApiBudgetExhausted,
    FieldSetupError,
    SalesforceAuthError,
    SalesforceError,
    SalesforceRequestError,
)
from crm_sync.salesforce.fields import TargetField, fit_value, resolve_fields

GROUP = "salesforce"
LOW_BUDGET_SHARE = 0.1
DEPLOY_FIX = (
    "deploy the fields: `sf project deploy start --source-dir force-app --target-org <org>` in "
    "crm_sync/salesforce/metadata (docs/install.md), or point FELLOW_SALESFORCE_FIELDS__<KEY> at your own field"
)
PERMSET_FIX = (
    "assign the permission set to the integration user: `sf org assign permset --name Fellow_Lead_Scoring "
    "--on-behalf-of <integration user> --target-org <org>`"
)
LOGIN_FIXES = {
    "jwt": "check the connected app's consumer key (FELLOW_SALESFORCE_CLIENT_ID), that its certificate matches "
    "FELLOW_SALESFORCE_PRIVATE_KEY_FILE, that FELLOW_SALESFORCE_USERNAME is pre-authorized (Admin approved users) "
    "and FELLOW_SALESFORCE_DOMAIN (login, test or your My Domain)",
    "client_credentials": "enable Client Credentials Flow on the connected app with a Run As user, and check "
    "FELLOW_SALESFORCE_CLIENT_ID / FELLOW_SALESFORCE_CLIENT_SECRET and FELLOW_SALESFORCE_DOMAIN (your My Domain)",
    None: "set a fresh FELLOW_SALESFORCE_ACCESS_TOKEN, or better configure JWT or client-credentials login "
    "(docs/install.md) so sessions renew themselves",
}
DEFAULT_LOGIN_FIX = "check the Salesforce credentials in FELLOW_SALESFORCE_* (docs/install.md)"


def _budget_fix(reserve: int) -> str:
    return (
        "the sync pauses until usage falls under the reserve: wait for the rolling 24 h window, lower "
        f"sync.salesforce_api_reserve ({reserve}; FELLOW_SYNC__SALESFORCE_API_RESERVE) or raise the org's allocation"
    )


class SalesforceProbe:
    """Salesforce checks sharing one client; budget and fields reuse the connection check's describe."""

    def __init__(self, settings: Settings, client: SalesforceClient | None = None) -> None:
        self.settings = settings
        self.client = client
        self.describe: dict[str, Any] | None = None
        self.exhausted: ApiBudgetExhausted | None = None

    def connection(self) -> Verdict:
        """Log in (if needed) and describe Lead."""
        mode = auth_mode(self.settings) or "direct token"
        try:
            self.client = self.client or SalesforceClient.from_settings(self.settings)
            self.describe = self.client.describe("Lead")
        except FileNotFoundError as exc:
            return fail(str(exc), "fix FELLOW_SALESFORCE_CA_BUNDLE or unset it")
        except SalesforceAuthError as exc:
            return fail(str(exc), LOGIN_FIXES.get(auth_mode(self.settings), DEFAULT_LOGIN_FIX))
        except ApiBudgetExhausted as exc:
            self.exhausted = exc
            return fail(f"Salesforce refused the call: {exc}", _budget_fix(exc.reserve))
        except SalesforceRequestError as exc:
            return fail(
                str(exc),
                f"check FELLOW_SALESFORCE_INSTANCE_URL and FELLOW_SALESFORCE_API_VERSION "
                f"({self.settings.salesforce_api_version}); the integration user needs API Enabled and Read on Lead",
            )
        except SalesforceError as exc:
            return fail(str(exc), "check https://status.salesforce.com and the network path to your instance")
        instance = self.settings.salesforce_instance_url or "the instance named by the login"
        return ok(f"connected ({mode}) to {instance}, API v{self.client.version}")

    def budget(self) -> Verdict:
        """The org's rolling 24 h API allocation has room above the configured reserve."""
        reserve = self.settings.sync.salesforce_api_reserve
        if self.exhausted is not None:
            return fail(str(self.exhausted), _budget_fix(reserve))
        if self.describe is None:
            return skip("not checked: Salesforce is not reachable")
        usage = self.client.usage if self.client is not None else None
        if usage is None:
            return warn(
                "Salesforce did not report API usage (no Sforce-Limit-Info header)",
                "check for a proxy stripping response headers between this host and Salesforce",
            )
        summary = f"{usage.used:,}/{usage.total:,} API calls used in the last 24 h, reserve {reserve:,}"
        if usage.remaining <= reserve:
            return fail(f"API budget exhausted: {summary}", _budget_fix(reserve))
        if usage.remaining - reserve < LOW_BUDGET_SHARE * usage.total:
            return warn(f"API budget low: {summary}", _budget_fix(reserve))
        return ok(summary)

    def fields(self) -> Verdict:
        """Every configured score field exists on Lead, is writable, and can hold what the writeback sends."""
        if self.describe is None:
            return skip("not checked: Salesforce is not reachable")
        problems: list[str] = []
        cautions: list[str] = []
        fixes: list[str] = []
        configured = {key: name for key, name in self.settings.salesforce_fields.model_dump().items() if name}
        for key, name in configured.items():
            try:
                target = resolve_fields(self.describe, {key: name})[key]
            except FieldSetupError as exc:
                readonly = "not writable" in str(exc)
                problems.append(f"{name} {'is read-only for the integration user' if readonly else 'is missing'}")
                fixes.append(PERMSET_FIX if readonly else DEPLOY_FIX)
                continue
            problem, caution = _judge(target, EXPECTED_FIELDS[key])
            if problem:
                problems.append(problem)
                fixes.append(DEPLOY_FIX)
            if caution:
                cautions.append(caution)
        if problems:
            return fail("; ".join(problems + cautions), " and ".join(dict.fromkeys(fixes)))
        if cautions:
            return warn("; ".join(cautions), DEPLOY_FIX)
        return ok(f"all {len(configured)} score fields on Lead are present and writable with the expected types")

    def outcome_mapping(self) -> Verdict:
        """The outcome mapping fits the org: the lead statuses it names exist, and the Voice AI flag is a field
        on Opportunity (without it every Voice AI label stays unknown and the Voice AI model cannot train)."""
        if self.describe is None or self.client is None:
            return skip("not checked: Salesforce is not reachable")
        learning = self.settings.learning
        statuses = {
            str(v.get("value")).casefold()
            for f in self.describe.get("fields", [])
            if f.get("name") == "Status"
            for v in f.get("picklistValues") or []
        }
        named = (*learning.rejected_statuses, *learning.converted_statuses)
        unknown = [s for s in named if statuses and s.casefold() not in statuses]
        field = learning.voice_ai_field
        fix = "set FELLOW_LEARNING__VOICE_AI_FIELD to the Opportunity field that marks Voice AI deals (docs/install.md)"
        if field is None:
            return warn("no Voice AI flag configured: Voice AI labels stay unknown", fix)
        sobject, _, path = (
            field.partition(".") if field.startswith("OpportunityLineItem.") else ("Opportunity", "", field)
        )
        try:
            described = self.client.describe(sobject)
        except SalesforceError as exc:
            return fail(f"cannot describe {sobject}: {exc}", f"give the integration user Read on {sobject}")
        if sobject != "Opportunity":
            relation = path.split(".", 1)[0]
            names = {f.get("relationshipName") for f in described.get("fields", [])} | {
                f.get("name") for f in described.get("fields", [])
            }
            if relation not in names:
                return warn(f"{sobject} has no {relation}: Voice AI labels stay unknown", fix)
            return ok(f"Voice AI deals read from {field} of each opportunity's line items")
        found = {f.get("name"): f for f in described.get("fields", [])}
        if field not in found:
            return warn(f"Opportunity has no field {field}: Voice AI labels stay unknown (prior serves Voice AI)", fix)
        kind = found[field].get("type")
        note = f"; statuses not in the org's Lead Status picklist (ignored): {', '.join(unknown)}" if unknown else ""
        if kind not in ("boolean", "picklist", "multipicklist", "string"):
            return warn(f"Opportunity.{field} is a {kind}; expected a checkbox or picklist{note}", fix)
        return ok(f"Voice AI deals read from Opportunity.{field} ({kind}){note}")


def _judge(target: TargetField, expected: FieldExpectation) -> tuple[str | None, str | None]:
    """(problem, caution) for one field: a problem when some value cannot be written, a caution when values
    would be shortened or the type differs from the one the metadata deploys."""
    name = target.name
    if expected.picklist and target.type == "picklist":
        absent = [value for value in expected.picklist if value.lower() not in {p.lower() for p in target.picklist}]
        if absent and target.restricted:
            return f"{name} is a restricted picklist without {', '.join(absent)}", None
        if absent:
            return None, f"{name} picklist lacks {', '.join(absent)} (Salesforce will store them as inactive values)"
    for sample in expected.samples():
        writable, fitted = fit_value(target, sample)
        if not writable:
            return f"{name} is {target.type} and cannot hold the {expected.key} value ({expected.metadata_type})", None
        if isinstance(sample, str) and isinstance(fitted, str) and len(fitted) < len(sample):
            return None, f"{name} holds {target.length} characters, so {expected.key} will be shortened"
    if target.type != expected.describe_type:
        return None, f"{name} is {target.type}, not {expected.describe_type} ({expected.metadata_type}) as deployed"
    return None, None


def salesforce_checks(settings: Settings, client: SalesforceClient | None = None) -> list[Check]:
    """The Salesforce checks, or one verdict saying Salesforce is off and how to turn it on."""
    if not settings.salesforce_enabled:
        return [Check(GROUP, "salesforce", lambda: _not_enabled(settings))]
    probe = SalesforceProbe(settings, client)
    return [
        Check(GROUP, "connection", probe.connection),
        Check(GROUP, "api budget", probe.budget),
        Check(GROUP, "lead fields", probe.fields),
        Check(GROUP, "outcome mapping", probe.outcome_mapping),
    ]


def _not_enabled(settings: Settings) -> Verdict:
    partial = [
        f"FELLOW_{name.upper()}"
        for name in (
            "salesforce_instance_url",
            "salesforce_access_token",
            "salesforce_client_id",
            "salesforce_username",
        )
        if getattr(settings, name) is not None
    ]
    state = settings.integrations()["salesforce"]
    if partial:
        how = state.removeprefix("off").strip().removeprefix("(").removesuffix(")")
        return fail(f"Salesforce is half-configured: {', '.join(partial)} set, but not enough to connect", how)
    return integration_off("Salesforce", state)
