"""Turn a parsed /qualify (or `fellow qualify`) target into something to score: the store first, then the CRM.

`resolve` reads only store repositories; `resolve_target` adds the CRM lookup for targets the store does not
know (the lookup stores what it finds, and the store is asked again).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session
from structlog import get_logger

from bot.backend import LeadLookup
from bot.command import QualifyCommand
from store.db import session_scope
from store.repositories import companies, leads

log = get_logger(__name__)

MAX_CANDIDATES = 10


@dataclass(frozen=True)
class LeadTarget:
    """Score this stored lead."""

    lead_id: int
    label: str


@dataclass(frozen=True)
class DomainTarget:
    """Score from the company's domain (a known company without leads)."""

    domain: str
    label: str


@dataclass(frozen=True)
class Unknown:
    """Nothing matched; `domain` is set when a provisional domain-only score can be given; `checked` says where
    we looked."""

    searched: str
    domain: str | None
    checked: str = "the synced Salesforce leads"


@dataclass(frozen=True)
class Candidates:
    """Several companies match a name: (name, domain) pairs for the user to pick from."""

    searched: str
    options: tuple[tuple[str, str], ...]


Resolution = LeadTarget | DomainTarget | Unknown | Candidates


def _by_domain(domain: str, *, session: Session) -> Resolution:
    company = companies.get_company_by_domain(domain, session=session)
    if company is None or company.id is None:
        return Unknown(searched=domain, domain=domain)
    label = f"{company.name} ({company.domain})" if company.name else company.domain
    lead = leads.newest_lead_for_company(company.id, session=session)
    if lead is not None and lead.id is not None:
        return LeadTarget(lead.id, label)
    return DomainTarget(company.domain, label)


def resolve(command: QualifyCommand, *, session: Session) -> Resolution:
    """Find what a /qualify command refers to: a lead, a company domain, candidates, or nothing."""
    if command.kind == "lead_id":
        lead = leads.get_lead_by_salesforce_id(command.value, session=session)
        if lead is None or lead.id is None:
            return Unknown(searched=f"Lead Id {command.value}", domain=None)
        company = companies.get_company(lead.company_id, session=session) if lead.company_id else None
        label = (company.name or company.domain) if company else command.value
        return LeadTarget(lead.id, f"{label} (lead {command.value})")
    if command.kind == "domain":
        return resolve_domain(command.value, session=session)
    found = companies.search_companies(command.value, session=session, limit=MAX_CANDIDATES + 1)
    exact = [c for c in found if (c.name or "").lower() == command.value.lower()]
    if len(exact) == 1 or len(found) == 1:
        return _by_domain((exact or found)[0].domain, session=session)
    if not found:
        return Unknown(searched=command.value, domain=None)
    return Candidates(command.value, tuple((c.name or c.domain, c.domain) for c in found))


def resolve_domain(domain: str, *, session: Session) -> Resolution:
    """Resolve a normalised domain (also used by the candidate-picking buttons)."""
    return _by_domain(domain, session=session)


def _lookup(lookup: LeadLookup | None, command: QualifyCommand) -> str:
    """Ask the CRM for a target the store does not know; returns where we looked, for the answer."""
    if lookup is None:
        return "the synced leads (Salesforce lookup is off)"
    try:
        found = lookup.find(command.kind, command.value)
    except Exception as exc:  # the CRM is a third party: its failure must still leave the user an answer
        log.warning("qualify.lookup_failed", kind=command.kind, error_type=type(exc).__name__, error=str(exc)[:200])
        return "the synced leads (Salesforce could not be reached just now)"
    log.info("qualify.lookup", kind=command.kind, found=found)
    return "the synced leads and Salesforce"


def resolve_target(command: QualifyCommand, *, engine: Engine, lookup: LeadLookup | None) -> Resolution:
    """Resolve from the store; when it knows nothing, look the target up in the CRM and resolve again."""
    with session_scope(engine) as session:
        resolution = resolve(command, session=session)
    if not isinstance(resolution, Unknown):
        return resolution
    checked = _lookup(lookup, command)
    with session_scope(engine) as session:
        resolution = resolve(command, session=session)
    if isinstance(resolution, Unknown):
        return Unknown(resolution.searched, resolution.domain, checked)
    return resolution
