"""Companies: upsert by normalised domain, look-ups by domain or name, literal name search, names for matching."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from store.normalize import normalize_domain
from store.tables import Company
from store.types import table_of, utcnow

_LIKE_ESCAPE = "\\"

COMPANY_FIELDS = (
    "name",
    "industry",
    "employees",
    "country",
    "description",
    "annual_revenue",
    "funding_stage",
)


def get_company_by_domain(domain: str, *, session: Session) -> Company | None:
    """The company for a domain in any spelling (case, www., scheme), or None."""
    return session.exec(select(Company).where(Company.domain == normalize_domain(domain))).first()


def upsert_company(domain: str, *, session: Session, **fields: Any) -> tuple[Company, bool]:
    """Create or update the company for a domain; None values never erase known data. Returns (row, created)."""
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise ValueError(f"unknown company fields: {sorted(unknown)}")
    key = normalize_domain(domain)
    company = session.exec(select(Company).where(Company.domain == key)).first()
    created = company is None
    if company is None:
        company = Company(domain=key)
    for name, value in fields.items():
        if value is not None:
            setattr(company, name, value)
    company.updated_at = utcnow()
    session.add(company)
    session.flush()
    return company, created


_COMPANY_TABLE = table_of(Company)
# Built once: on the API's hot path, constructing and cache-keying the statement cost more than running it.
_IDS_BY_DOMAIN = sa_select(_COMPANY_TABLE.c.domain, _COMPANY_TABLE.c.id).where(
    _COMPANY_TABLE.c.domain.in_(bindparam("domains", expanding=True))
)


def company_ids_by_domain(domains: Collection[str], *, session: Session) -> dict[str, int]:
    """Company ids for a set of normalised domains in one query (unknown domains are absent from the result)."""
    if not domains:
        return {}
    rows = session.connection().execute(_IDS_BY_DOMAIN, {"domains": list(domains)})
    return {domain: company_id for domain, company_id in rows}


def find_companies_by_name(name: str, *, session: Session, limit: int = 10) -> list[Company]:
    """Companies whose name contains the text, case-insensitively, exact matches first."""
    pattern = f"%{name.strip().lower()}%"
    rows = session.exec(select(Company).where(func.lower(col(Company.name)).like(pattern)).limit(limit * 5)).all()
    exact = name.strip().lower()
    return sorted(rows, key=lambda row: (row.name or "").lower() != exact)[:limit]


def get_company(company_id: int, *, session: Session) -> Company | None:
    """A company by primary key."""
    return session.get(Company, company_id)


def count_companies(*, session: Session) -> int:
    """How many companies are stored."""
    return session.exec(select(func.count()).select_from(Company)).one()


def _like_literal(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally."""
    return (
        text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", _LIKE_ESCAPE + "%").replace("_", _LIKE_ESCAPE + "_")
    )


def search_companies(text: str, *, session: Session, limit: int = 10) -> list[Company]:
    """Companies whose name contains `text` literally (case-insensitive); exact names first, then shortest."""
    needle = text.strip().lower()
    if not needle:
        return []
    pattern = f"%{_like_literal(needle)}%"
    query = (
        select(Company)
        .where(func.lower(col(Company.name)).like(pattern, escape=_LIKE_ESCAPE))
        .order_by(func.length(col(Company.name)), col(Company.id))
        .limit(limit * 5)
    )
    rows = list(session.exec(query).all())
    return sorted(rows, key=lambda row: (row.name or "").lower() != needle)[:limit]


def company_names(*, session: Session) -> list[tuple[int, str]]:
    """(id, name) of every named company, for fuzzy matching of meeting titles."""
    query = select(Company.id, Company.name).where(col(Company.name).is_not(None)).order_by(col(Company.id))
    return [(company_id, name) for company_id, name in session.exec(query).all() if company_id and name]
