"""The Salesforce Flow hook: a Flow HTTP callout posts a Lead Id with a shared secret; we fetch the lead from
the API (the callout is only a hint, never trusted data), store it and score it at once.

admin_api exposes `handle_lead_push` as an endpoint and maps `InboundError.status` to the HTTP status.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Any

from pydantic import SecretStr
from sqlalchemy.engine import Engine

from crm_sync.salesforce.client import SalesforceApi
from crm_sync.salesforce.flows import Rescore
from crm_sync.salesforce.leads import store_lead
from crm_sync.salesforce.records import LEAD_QUERY_FIELDS, RecordError, is_salesforce_id, parse_lead
from store.db import session_scope
from store.enums import ScoreTrigger
from store.normalize import salesforce_id18

SECRET_HEADER = "X-Fellow-Webhook-Secret"


class InboundError(ValueError):
    """A refused push: `status` is the HTTP status to answer (401 bad secret, 400 bad id, 404 unknown lead,
    503 hook not configured)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def verify_secret(configured: SecretStr | None, provided: str | None) -> None:
    """Accept only the configured shared secret, compared in constant time."""
    if configured is None:
        raise InboundError(503, "the Salesforce hook is off: set FELLOW_SALESFORCE_WEBHOOK_SECRET")
    expected = configured.get_secret_value().encode()
    if not provided or not hmac.compare_digest(expected, provided.encode()):
        raise InboundError(401, "invalid or missing shared secret")


def lead_id_from(body: Any) -> str:
    """The Lead Id from a Flow callout body ({"lead_id": ...}, {"leadId": ...} or {"Id": ...})."""
    if isinstance(body, dict):
        for key in ("lead_id", "leadId", "Id", "id"):
            value = body.get(key)
            if is_salesforce_id(value):
                return salesforce_id18(str(value))
    raise InboundError(400, "body must be a JSON object with a 15- or 18-character Salesforce lead_id")


def handle_lead_push(
    lead_id: str,
    *,
    client: SalesforceApi,
    engine: Engine,
    rescore: Rescore,
    own_domains: Sequence[str] = (),
) -> dict[str, Any]:
    """Fetch the lead from Salesforce, upsert it and its company, score it; returns ids for the response."""
    if not is_salesforce_id(lead_id):
        raise InboundError(400, f"{lead_id!r} is not a Salesforce Id")
    raw = client.get_record("Lead", lead_id, LEAD_QUERY_FIELDS)
    if raw is None:
        raise InboundError(404, f"lead {lead_id} does not exist in Salesforce")
    try:
        record = parse_lead(raw)
    except RecordError as exc:
        raise InboundError(422, str(exc)) from None
    with session_scope(engine) as session:
        stored = store_lead(record, session=session, own_domains=own_domains)
        score = rescore(stored.lead_id, session=session, trigger=ScoreTrigger.SALESFORCE_INBOUND)
    return {
        "lead_id": stored.lead_id,
        "salesforce_id": stored.salesforce_id,
        "created": stored.created,
        "score_id": getattr(score, "id", None),
        "warnings": stored.warnings,
    }
