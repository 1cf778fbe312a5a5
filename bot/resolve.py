"""Turn a parsed /qualify command into a scoring target, using only store repositories."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.command import QualifyCommand
from store.repositories import companies, leads

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
    """Nothing matched; `domain` is set when a domain-only score can be offered."""

    searched: str
    domain: str | None


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
