"""Matching a call to a lead: attendee email (exact lead email, then company domain), then the company named
in the meeting title, then a fuzzy company-name match. Our own domains/names and free-mail never match.
Every miss carries a reason so unmatched calls can be reviewed (`fellow sync unmatched`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlmodel import Session

from store.normalize import domain_from_email, is_free_mail
from store.repositories import companies, leads
from store.tables import Company

TitleCompany = Callable[[str], str | None]
FUZZY_THRESHOLD = 90.0


@dataclass(frozen=True)
class Match:
    """Where a call belongs: lead and/or company, how it was found, or why it was not."""

    lead_id: int | None = None
    company_id: int | None = None
    method: str | None = None
    reason: str | None = None


class CallMatcher:
    """Matches calls against the stored leads and companies; build one per ingestion run."""

    def __init__(
        self,
        title_company: TitleCompany,
        *,
        own_domains: Iterable[str] = (),
        own_names: Iterable[str] = (),
        fuzzy_threshold: float = FUZZY_THRESHOLD,
    ) -> None:
        self.title_company = title_company
        self.own_domains = {d.lower() for d in own_domains}
        self.own_names = {n.lower() for n in own_names}
        self.fuzzy_threshold = fuzzy_threshold
        self._ids: list[int] = []
        self._names: list[str] | None = None

    def prospect_emails(self, attendees: Sequence[str]) -> list[str]:
        """Attendee emails that are not ours."""
        return [e for e in attendees if (domain_from_email(e) or "") not in self.own_domains]

    def match(self, attendees: Sequence[str], title: str | None, *, session: Session) -> Match:
        """The best match for a call, or a Match with only a reason."""
        emails = self.prospect_emails(attendees)
        found = self._by_email(emails, session)
        if found is not None:
            return found
        domains = [d for d in (domain_from_email(e) for e in emails) if d and not is_free_mail(d)]
        for domain in dict.fromkeys(domains):
            company = companies.get_company_by_domain(domain, session=session)
            if company is not None:
                return self._company_match(company, "email_domain", session)
        name = self.title_company(title) if title else None
        if name and name.lower() not in self.own_names:
            exact = [
                c
                for c in companies.find_companies_by_name(name, session=session)
                if (c.name or "").lower() == name.lower()
            ]
            if exact:
                return self._company_match(exact[0], "title", session)
            fuzzy = self._fuzzy(name, session)
            if fuzzy is not None:
                return self._company_match(fuzzy, "fuzzy_name", session)
        return Match(reason=self._miss_reason(attendees, emails, domains, title, name))

    def _by_email(self, emails: Sequence[str], session: Session) -> Match | None:
        rows = leads.leads_by_email(emails, session=session)
        if not rows:
            return None
        return Match(lead_id=rows[0].id, company_id=rows[0].company_id, method="attendee_email")

    @staticmethod
    def _company_match(company: Company, method: str, session: Session) -> Match:
        assert company.id is not None
        candidates = leads.leads_for_company(company.id, session=session)
        if not candidates:
            return Match(company_id=company.id, method=method, reason=f"company {company.domain} has no lead yet")
        return Match(lead_id=candidates[0].id, company_id=company.id, method=method)

    def _fuzzy(self, name: str, session: Session) -> Company | None:
        if self._names is None:
            pairs = companies.company_names(session=session)
            self._ids, self._names = [i for i, _ in pairs], [n for _, n in pairs]
        if not self._names:
            return None
        best = process.extractOne(
            name,
            self._names,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            score_cutoff=self.fuzzy_threshold,
        )
        if best is None:
            return None
        return companies.get_company(self._ids[best[2]], session=session)

    def _miss_reason(
        self,
        attendees: Sequence[str],
        emails: Sequence[str],
        domains: Sequence[str],
        title: str | None,
        name: str | None,
    ) -> str:
        parts = []
        if not attendees:
            parts.append("no attendees")
        elif not emails:
            parts.append("only our own attendees")
        elif not domains:
            parts.append("attendees use free-mail only")
        else:
            parts.append(f"no company for {', '.join(sorted(set(domains))[:3])}")
        if not title:
            parts.append("no title")
        elif not name:
            parts.append("no company named in the title")
        elif name.lower() in self.own_names:
            parts.append("title names only us")
        else:
            parts.append(f"no company like {name!r}")
        return "; ".join(parts)
