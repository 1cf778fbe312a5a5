"""Deterministic synthetic inbound leads, Fellow intro calls and outcomes for a Telnyx-like company.

Generating process (pure Python, one `random.Random(seed)`, no wall clock, no database):

1. Lead creation times are uniform over the `HISTORY_DAYS` (~9 months) before `end` (default `DEFAULT_END`,
   a fixed date) and ids follow creation order. Each lead picks a source; ~8% (more for free-trial signups)
   use a free-mail address and have no company (`company_domain` is the mail domain, no `SampleCompany`);
   ~12% of the rest join an existing company, the others get a new one (industry, size bucket 1-10 .. 10k+,
   country, revenue, funding stage; some fields missing). Emails sometimes have odd casing; a few are absent.
2. Hidden drivers per lead (`SampleTruth.latent`): main product interest (weighted by industry; "none" =
   no real need), an optional second product, budget (confirmed / unknown / none), timeline (asap ..
   exploring), decision maker reached, pain point, incumbent competitor (sometimes under contract), volume,
   existing customer, plainly not interested. Engagement signals (pricing ask, next meeting, trial) are
   drawn from a logistic function of those drivers, so they correlate with them.
3. Outcome: `logit = INTERCEPT + sum(driver weights) + N(0, NOISE_SD)`; `progressed ~ Bernoulli(sigmoid)`
   (about a third progress). A Voice AI opportunity is a progressed lead whose interest includes Voice AI
   (mostly) or, rarely, voice/SIP. Leads created in the last `OUTCOME_LAG_DAYS` have no outcome;
   `decided_at` falls days to weeks after the last call, never after `end`.
4. ~85% of leads get 1-3 Fellow calls starting days after creation (none after `end`), each owned by one of
   several reps with a personal note style (bullets, paragraph, terse shorthand, markdown sections,
   speaker-labelled transcript) and typo rate. Each driver is written down only with some probability,
   reps sometimes overstate budget, urgency or seniority, and distractors are added: products the prospect
   is not looking at, products the rep pitched that were declined, hypotheticals, background, small talk.
   Some calls also carry a Fellow-style transcript. Notes never state the outcome.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from admin_api.demo.sample_text import (
    add_typos,
    call_context,
    call_facts,
    call_title,
    dialogue,
    email_address,
    phrases,
    pick,
    render_notes,
    segments,
    weighted,
)
from store.normalize import salesforce_id18

DEFAULT_END = datetime(2026, 11, 1, tzinfo=UTC)
HISTORY_DAYS = 270
OUTCOME_LAG_DAYS = 21
PRODUCTS = ("voice_ai", "programmable_voice", "sip", "sms", "iot", "verify")
INTERCEPT = -3.1
NOISE_SD = 0.8
WEIGHTS: dict[str, dict[object, float]] = {
    "interest": {
        "voice_ai": 1.0,
        "programmable_voice": 0.6,
        "sip": 0.7,
        "sms": 0.3,
        "iot": 0.5,
        "verify": 0.1,
        "none": -2.0,
    },
    "budget": {"confirmed": 1.2, "unknown": 0.0, "none": -1.4},
    "timeline": {"asap": 1.0, "month": 0.8, "quarter": 0.4, "next_year": -0.7, "exploring": -1.0},
    "source": {"Contact Sales": 0.4, "Partner referral": 0.5, "Free Trial signup": -0.2, "Outbound": -0.3},
}
FLAG_WEIGHTS = {"decision_maker": 0.8, "competitor_locked": -1.3, "existing_customer": -0.6, "not_interested": -2.0}
_SIZES = ((1, 10), (11, 50), (51, 200), (201, 1000), (1001, 5000), (5001, 10000), (10001, 60000))
_SIZE_WEIGHTS = {"default": (22, 25, 20, 15, 9, 4, 5), "ai_voice": (40, 35, 15, 6, 2, 1, 1)}
_SF_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_STAGES = {"Prospecting": 2, "Qualification": 3, "Proposal": 2, "Negotiation": 1, "Closed Won": 2, "Closed Lost": 1}
_STYLES = ("bullets", "paragraph", "terse", "sectioned", "transcript")


@dataclass(frozen=True)
class SampleCompany:
    """A prospect company; optional firmographics are missing for some companies."""

    domain: str
    name: str
    industry: str
    employees: int | None
    country: str | None
    description: str
    annual_revenue: float | None
    funding_stage: str | None


@dataclass(frozen=True)
class SampleLead:
    """A Salesforce lead at intake: 18-char `00Q` id, status "Open"/"Working"; free-mail leads have the mail
    domain as `company_domain` and no company. `urgency_level` is 1-5 when the rep set it."""

    salesforce_id: str
    email: str | None
    first_name: str
    last_name: str
    company_domain: str
    title: str | None
    source: str
    status: str
    created_at: datetime
    urgency_level: int | None


@dataclass(frozen=True)
class SampleCall:
    """A Fellow call: rep notes (free text), attendee emails (ours @telnyx.com), sometimes a transcript."""

    fellow_id: str
    lead_salesforce_id: str
    title: str
    started_at: datetime
    attendees: tuple[str, ...]
    notes: str
    transcript: tuple[dict, ...] | None
    call_url: str


@dataclass(frozen=True)
class SampleOutcome:
    """The Salesforce outcome of a lead old enough to have one (the training label)."""

    lead_salesforce_id: str
    progressed: bool
    voice_ai_opportunity: bool
    status: str
    stage: str | None
    decided_at: datetime


@dataclass(frozen=True)
class SampleTruth:
    """The hidden drivers and probabilities behind one lead (for tests and benchmarks, never features)."""

    lead_salesforce_id: str
    latent: dict[str, Any]  # mixed values: interest names, flags, volumes, logits, the true probability


@dataclass(frozen=True)
class SampleDataset:
    """Everything one `generate_sample` call produced, leads in creation order."""

    companies: tuple[SampleCompany, ...]
    leads: tuple[SampleLead, ...]
    calls: tuple[SampleCall, ...]
    outcomes: tuple[SampleOutcome, ...]
    truth: tuple[SampleTruth, ...]


def generate_sample(n_leads: int = 600, seed: int = 7, *, end: datetime | None = None) -> SampleDataset:
    """Generate `n_leads` leads with companies, calls, outcomes and hidden drivers; same inputs, same output."""
    if n_leads < 0:
        raise ValueError(f"n_leads must be >= 0, got {n_leads}")
    end = DEFAULT_END if end is None else end
    if end.tzinfo is None:
        raise ValueError("end must be timezone-aware")
    return _Generator(random.Random(seed), end.astimezone(UTC)).run(n_leads)


def salesforce_id(prefix15: str) -> str:
    """Append Salesforce's 3-character case checksum to a 15-character id."""
    return salesforce_id18(prefix15)


def _base(n: int, alphabet: str, width: int) -> str:
    """Fixed-width positional encoding of `n` in `alphabet`."""
    out = ""
    for _ in range(width):
        n, r = divmod(n, len(alphabet))
        out = alphabet[r] + out
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class _Generator:
    """Holds the random state and the growing tables while leads are generated in creation order."""

    def __init__(self, rng: random.Random, end: datetime) -> None:
        self.rng, self.end, self.p = rng, end, phrases()
        self.companies: list[SampleCompany] = []
        self.company_meta: dict[str, tuple[str, str, int]] = {}
        self.leads: list[SampleLead] = []
        self.calls: list[SampleCall] = []
        self.outcomes: list[SampleOutcome] = []
        self.truth: list[SampleTruth] = []
        self.call_counter = rng.randrange(36**6)
        self.reps = self.p["reps"]

    def run(self, n_leads: int) -> SampleDataset:
        start_id = self.rng.randrange(62**4)
        offsets = sorted(self.rng.uniform(0, HISTORY_DAYS * 86400) for _ in range(n_leads))
        for i, seconds in enumerate(offsets):
            sf_id = salesforce_id("00Q5e00000" + _base(start_id + i, _SF_ALPHABET, 5))
            self._lead(sf_id, self.end - timedelta(seconds=HISTORY_DAYS * 86400 - seconds))
        return SampleDataset(
            tuple(self.companies), tuple(self.leads), tuple(self.calls), tuple(self.outcomes), tuple(self.truth)
        )

    def _company(self) -> tuple[str, str, str, int]:
        """Return (domain, display name, industry key, employees), reusing an existing company ~12% of the time."""
        rng, p = self.rng, self.p
        if self.companies and rng.random() < 0.12:
            domain = pick(rng, self.companies).domain
            return domain, *self.company_meta[domain]
        key = pick(rng, list(p["industries"]))
        ind = p["industries"][key]
        prefix, root, tail = pick(rng, p["name_prefixes"]), pick(rng, ind["roots"]), pick(rng, ind["tails"])
        base = pick(rng, (f"{prefix} {tail}", f"{prefix}{root.lower()}", f"{root}{prefix.lower()} {tail}"))
        stem = "".join(c for c in base.lower() if c.isalnum())
        domain = f"{stem}.{weighted(rng, p['tlds'])}"
        while domain in self.company_meta:
            domain = f"{stem}{rng.randrange(2, 99)}.{weighted(rng, p['tlds'])}"
        lo, hi = rng.choices(_SIZES, weights=_SIZE_WEIGHTS.get(key, _SIZE_WEIGHTS["default"]))[0]
        employees = rng.randint(lo, hi)
        stage_i = min(8, int(math.log10(employees) * 2 + rng.uniform(-1, 2)))
        self.companies.append(
            SampleCompany(
                domain=domain,
                name=base + pick(rng, p["legal_suffixes"]),
                industry=ind["label"],
                employees=None if rng.random() < 0.1 else employees,
                country=None if rng.random() < 0.1 else weighted(rng, p["countries"]),
                description="" if rng.random() < 0.06 else f"{base} is a {pick(rng, ind['describe'])}.",
                annual_revenue=None if rng.random() < 0.35 else float(round(employees * rng.uniform(6e4, 3e5), -3)),
                funding_stage=None if rng.random() < 0.3 else p["funding_stages"][max(0, stage_i)],
            )
        )
        self.company_meta[domain] = (base, key, employees)
        return domain, base, key, employees

    def _latent(self, industry: str | None, title_dm: bool, employees: int) -> dict[str, Any]:
        """Draw the hidden drivers of one lead."""
        rng, p = self.rng, self.p
        interests = (
            p["industries"][industry]["interests"]
            if industry
            else {"voice_ai": 2, "sms": 2, "programmable_voice": 1, "none": 3}
        )
        interest = weighted(rng, interests)
        others = [x for x in PRODUCTS if x != interest]
        secondary = pick(rng, others) if interest != "none" and rng.random() < 0.3 else None
        competitor = pick(rng, p["competitors"][interest]) if rng.random() < 0.65 else None
        size_bonus = 0.3 * math.log10(max(employees, 1))
        t: dict[str, Any] = {
            "interest": interest,
            "secondary_interest": secondary,
            "voice_ai_interest": "voice_ai" in (interest, secondary),
            "not_interested": interest == "none" or rng.random() < 0.06,
            "budget": weighted(
                rng, {"confirmed": 0.22 + size_bonus / 6, "unknown": 0.45, "none": 0.3 - size_bonus / 8}
            ),
            "timeline": weighted(rng, {"asap": 12, "month": 15, "quarter": 28, "next_year": 15, "exploring": 30}),
            "decision_maker": rng.random() < (0.75 if title_dm else 0.35),
            "pain": pick(rng, ("unreliable", "cost", "latency", "support")) if rng.random() < 0.6 else None,
            "competitor": competitor,
            "competitor_locked": competitor is not None and rng.random() < 0.15,
            "volume": int(10 ** rng.uniform(3, 4.2) * (1 + employees / 40)),
            "existing_customer": rng.random() < 0.06,
            "size_bonus": size_bonus,
        }
        pre = sum(WEIGHTS[k][t[k]] for k in ("interest", "budget", "timeline")) + size_bonus + 0.4 * bool(t["pain"])
        pre += sum(w for flag, w in FLAG_WEIGHTS.items() if t[flag])
        t["pricing_ask"] = rng.random() < _sigmoid(0.6 * pre)
        t["next_meeting"] = rng.random() < _sigmoid(0.7 * pre - 0.3)
        t["trial"] = rng.random() < _sigmoid(0.7 * pre - 1.0)
        t["base_logit"] = pre + 0.7 * t["next_meeting"] + 0.6 * t["trial"] + 0.3 * t["pricing_ask"]
        return t

    def _lead(self, sf_id: str, created: datetime) -> None:
        rng, p = self.rng, self.p
        source = weighted(rng, p["sources"])
        first, last = pick(rng, p["first_names"]), pick(rng, p["last_names"])
        if rng.random() < (0.2 if source == "Free Trial signup" else 0.06):
            domain, company, industry, employees = pick(rng, p["free_mail"]), f"{first} {last}", None, 1
        else:
            domain, company, industry, employees = self._company()
        title_dm = rng.random() < 0.35
        title = None if rng.random() < 0.15 else pick(rng, p["titles_dm" if title_dm else "titles_other"])
        t = self._latent(industry, title_dm and title is not None, employees)
        t.update(source=source, free_mail=industry is None, industry=industry, title=title)
        t["logit"] = t["base_logit"] + INTERCEPT + WEIGHTS["source"].get(source, 0.0) - 0.8 * (industry is None)
        urgency = {"asap": 5, "month": 4, "quarter": 3, "next_year": 2, "exploring": 1}[t["timeline"]]
        urgency_level = min(5, max(1, urgency + pick(rng, (-1, 0, 0, 0, 1)))) if rng.random() < 0.55 else None
        email = email_address(rng, first, last, domain)
        person = (first, last, email or f"{first}.{last}@{domain}".lower())
        calls = self._calls(sf_id, created, t, person, company, industry) if rng.random() < 0.85 else []
        if not calls:
            t["logit"] -= 0.5
        self.leads.append(
            SampleLead(
                salesforce_id=sf_id,
                email=email,
                first_name=first,
                last_name=last,
                company_domain=domain,
                title=title,
                source=source,
                status="Working - Contacted" if calls else "Open - Not Contacted",
                created_at=created,
                urgency_level=urgency_level,
            )
        )
        noise = rng.gauss(0, NOISE_SD)
        t["p_progress"] = _sigmoid(t["logit"] + noise)
        self._outcome(sf_id, created, calls, t)
        self.truth.append(SampleTruth(sf_id, t))

    def _outcome(self, sf_id: str, created: datetime, calls: list[SampleCall], t: dict[str, Any]) -> None:
        rng = self.rng
        progressed = rng.random() < float(t["p_progress"])
        roll = rng.random()
        voice = progressed and (
            (t["interest"] == "voice_ai" and roll < 0.9)
            or (t["secondary_interest"] == "voice_ai" and roll < 0.5)
            or (t["interest"] in ("sip", "programmable_voice") and roll < 0.08)
        )
        t["progressed"], t["voice_ai_opportunity"] = progressed, voice
        if created > self.end - timedelta(days=OUTCOME_LAG_DAYS):
            return
        last_touch = max([created, *(c.started_at for c in calls)])
        decided = last_touch + timedelta(days=rng.uniform(3, 40))
        if decided > self.end:
            decided = last_touch + (self.end - last_touch) * rng.random()
        if progressed:
            status = "Converted" if rng.random() < 0.7 else "Qualified"
            stage = weighted(rng, _STAGES)
        else:
            nurture = t["timeline"] in ("next_year", "exploring") and not t["not_interested"]
            status, stage = ("Nurturing" if nurture and rng.random() < 0.7 else "Unqualified"), None
        self.outcomes.append(SampleOutcome(sf_id, progressed, voice, status, stage, decided))

    def _calls(
        self,
        sf_id: str,
        created: datetime,
        t: dict[str, Any],
        person: tuple[str, str, str],
        company: str,
        industry: str | None,
    ) -> list[SampleCall]:
        """1-3 Fellow calls for one lead, the first a few days after creation, none after `end`."""
        rng = self.rng
        first, last, email = person
        rep = pick(rng, self.reps)
        rep_email = rep["name"].lower().replace(" ", ".") + "@telnyx.com"
        ctx = call_context(rng, t, (first, last), company, industry, rep["name"], created)
        n = 1 + (pick(rng, (1, 1, 2)) if t["next_meeting"] else int(rng.random() < 0.12))
        day = created + timedelta(days=rng.uniform(0.5, 10))
        started = day.replace(hour=rng.randint(13, 22), minute=pick(rng, (0, 15, 30, 45)), second=0, microsecond=0)
        out: list[SampleCall] = []
        for k in range(n):
            if started >= self.end:
                break
            facts = call_facts(rng, t, k, k == n - 1)
            style = rep["style"] if rng.random() < 0.8 else pick(rng, _STYLES)
            verbosity = rng.randint(15, 32) if rng.random() < 0.04 else min(12, int(rng.expovariate(0.45)))
            notes = add_typos(rng, render_notes(rng, facts, ctx, style, verbosity, followup=k > 0), rep["typo"])
            transcript = segments(dialogue(rng, facts, ctx, verbosity), ctx) if rng.random() < 0.3 else None
            attendees = [email, rep_email]
            if t["decision_maker"] and ctx["dm_name"] != ctx["prospect"] and rng.random() < 0.6:
                attendees.insert(1, ctx["dm_name"].lower().replace(" ", ".") + "@" + email.split("@")[1].lower())
            if k > 0 and rng.random() < 0.5:
                attendees.append(pick(rng, self.reps)["name"].lower().replace(" ", ".") + "@telnyx.com")
            self.call_counter += 1
            fellow_id = _base(self.call_counter * 7919 % 36**10, "0123456789abcdefghijklmnopqrstuvwxyz", 10)
            out.append(
                SampleCall(
                    fellow_id=fellow_id,
                    lead_salesforce_id=sf_id,
                    title=call_title(rng, ctx, followup=k > 0),
                    started_at=started,
                    attendees=tuple(dict.fromkeys(attendees)),
                    notes=notes,
                    transcript=transcript,
                    call_url=f"https://telnyx.fellow.app/recordings/{fellow_id}",
                )
            )
            started += timedelta(days=rng.randint(4, 18), minutes=pick(rng, (0, 30, 60, -60)))
        self.calls.extend(out)
        return out
