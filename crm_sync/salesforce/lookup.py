"""Find a lead in Salesforce on demand (for /qualify and `fellow qualify`) and store what is found.

The bot resolves from the store first; only when nothing is stored does it ask this lookup, which queries Lead
by Id, by Website/Email domain or by Company name, stores the records with `store_lead` and says how many.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Engine
from structlog import get_logger

from crm_sync.salesforce.client import SalesforceApi
from crm_sync.salesforce.leads import company_domain, store_lead
from crm_sync.salesforce.records import LEAD_QUERY_FIELDS, RecordError, parse_lead, soql_string
from store.db import session_scope

log = get_logger(__name__)
MAX_FOUND = 20


def _like(value: str) -> str:
    """A SOQL LIKE pattern for `value` anywhere, with LIKE wildcards in the value escaped."""
    body = value.replace("\\", "\\\\").replace("'", "\\'").replace("%", "\\%").replace("_", "\\_")
    return f"'%{body}%'"


def lookup_query(kind: str, value: str, *, limit: int = MAX_FOUND) -> str:
    """SOQL for leads matching a Lead Id, a company domain (Website or Email) or a Company name."""
    if kind == "lead_id":
        where = f"Id = {soql_string(value)}"
    elif kind == "domain":
        where = f"Website LIKE {_like(value)} OR Email LIKE {soql_string('%@' + value)}"
    else:
        where = f"Company LIKE {_like(value)}"
    fields = ", ".join(LEAD_QUERY_FIELDS)
    return f"SELECT {fields} FROM Lead WHERE {where} ORDER BY CreatedDate DESC LIMIT {limit}"


class SalesforceLookup:
    """Looks targets up in Salesforce and stores the leads found (satisfies bot.backend.LeadLookup)."""

    def __init__(
        self, api: SalesforceApi, engine: Engine, *, own_domains: Sequence[str] = (), closed: Sequence[str] = ()
    ) -> None:
        self.api = api
        self.engine = engine
        self.own_domains = tuple(own_domains)
        self.closed = tuple(closed)

    def find(self, kind: str, value: str) -> int:
        """Query Salesforce for the target, store every usable lead found, and return how many were stored."""
        stored = 0
        records = list(self.api.query(lookup_query(kind, value)))
        with session_scope(self.engine) as session:
            for raw in records:
                try:
                    record = parse_lead(raw)
                except RecordError as exc:
                    log.warning("salesforce.lookup_skipped", reason=str(exc))
                    continue
                if kind == "domain" and company_domain(record, self.own_domains)[0] != value:
                    continue  # LIKE also matches other domains containing this one
                store_lead(record, session=session, own_domains=self.own_domains, closed_statuses=self.closed or None)
                stored += 1
        log.info("salesforce.lookup", kind=kind, found=len(records), stored=stored)
        return stored
