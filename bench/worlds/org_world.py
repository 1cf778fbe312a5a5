"""A Salesforce-shaped org of our own making: leads over months, status history, conversions into Opportunities
with a custom `Voice_AI__c` checkbox, the newest fifth still open, and a Fellow export of the intro calls.

Each lead has a latent intent and a company fit; the call notes say some of what intent implies (noisily, with
negations and a rep's questions), and the outcome is drawn from a known probability (`truth`), so a model can be
compared with what the true probabilities reach at the same volume. The same JSON shape (see `load_world`) is
what an independently written world uses, so both load through one path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

INDUSTRIES = ("Healthcare", "Retail", "Financial Services", "Technology", "Logistics", "Education", None)
VOICE_AFFINITY = {"Healthcare": 0.8, "Financial Services": 0.5, "Retail": 0.2, "Technology": 0.4}
SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Other")
SOURCE_EFFECT = {"Partner Referral": 0.5, "Phone Inquiry": 0.3, "Web": 0.0, "Other": -0.3}
FIRST = ("Ana", "Ben", "Chloe", "Dev", "Erin", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Marco", "Nia")
LAST = ("Ruiz", "Okafor", "Smith", "Chen", "Novak", "Haddad", "Silva", "Kowalski", "Berg", "Tanaka")
WORDS = ("North", "Blue", "Summit", "Harbor", "Cedar", "Vertex", "Bright", "Iron", "Lumen", "Pioneer", "Crest", "Delta")
KINDS = ("Health", "Logistics", "Retail", "Labs", "Bank", "Clinics", "Foods", "Systems", "Works", "Travel")
REPS = (("Chris Wu", "chris.wu@telnyx.com"), ("Maya Patel", "maya.patel@telnyx.com"))

POSITIVE = {
    "pricing": ("They asked for a quote for {n}k minutes a month.", "Wants pricing for {n}k SMS per month."),
    "budget": ("Budget is approved for this quarter.", "cfo signed off on the budget"),
    "dm": ("The CTO joined the call.", "VP of Operations was on the call and owns the decision."),
    "meeting": ("Booked a follow-up demo for next Tuesday.", "Next meeting scheduled with their IT team."),
    "trial": ("Want to run a two-week pilot.", "Asked for trial credits to test the API."),
    "pain": ("Their current provider drops calls constantly.", "Customers wait 20 minutes on hold, staff overwhelmed."),
}
NEGATIVE = {
    "no_budget": ("No budget this year.", "Budget is frozen until next fiscal year."),
    "not_interested": ("Not interested, they just signed with Bandwidth.", "They said they will not move forward."),
    "researching": ("Just researching options for now.", "Early research, no timeline."),
    "competitor": ("Currently evaluating Twilio and Vonage.", "Comparing us with Plivo."),
}
VOICE_AI = (
    "Looking for an AI voice agent to answer inbound calls.",
    "Want a conversational IVR that books appointments.",
    "Interested in an AI receptionist for after-hours calls.",
)
OTHER_PRODUCTS = (
    "Need SMS notifications for deliveries.",
    "Interested in SIP trunking for their call center.",
    "Need phone verification for sign-ups.",
)
FILLER = ("Intro call.", "Walked through their setup.", "Team of {e} people.", "Good conversation overall.")
STAGES = ("Qualification", "Needs Analysis", "Proposal/Price Quote", "Closed Won", "Closed Lost")
TRAPS = ("No budget issues on their side.", "Rep asked whether they had budget for it.", "Not just researching.")


@dataclass(frozen=True)
class World:
    """Leads in the shape `load_world` takes, the Fellow export lines, and the truth per lead key."""

    leads: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    truth: dict[str, dict[str, Any]]

    def write(self, directory: Path) -> Path:
        """leads.jsonl, calls.jsonl and truth.jsonl in `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        for name, rows in (("leads", self.leads), ("calls", self.calls), ("truth", list(self.truth.values()))):
            (directory / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        return directory


def read_world(directory: Path) -> World:
    """A world written by `World.write` or by an independent generator in the same shape."""

    def rows(name: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in (directory / f"{name}.jsonl").read_text().splitlines() if line.strip()]

    return World(rows("leads"), rows("calls"), {r["Key"]: r for r in rows("truth")})


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def _pick(rng: np.random.Generator, options: tuple[Any, ...]) -> Any:
    return options[int(rng.integers(len(options)))]


def _notes(rng: np.random.Generator, intent: float, voice: bool, employees: int | None) -> tuple[str, dict[str, bool]]:
    """Rep notes: each positive signal shows with a chance that grows with intent, each negative one with a chance
    that shrinks with it; events (meeting, trial, decision maker) also move the true probability."""
    said: dict[str, bool] = {}
    lines = [_pick(rng, FILLER).format(e=employees or "a few")]
    for name, phrases in POSITIVE.items():
        said[name] = bool(rng.random() < _sigmoid(1.6 * intent - 1.0))
        if said[name]:
            lines.append(_pick(rng, phrases).format(n=int(rng.integers(5, 200))))
    for name, phrases in NEGATIVE.items():
        said[name] = bool(rng.random() < _sigmoid(-1.6 * intent - 1.4))
        if said[name]:
            lines.append(_pick(rng, phrases))
    if voice and rng.random() < 0.8:
        lines.append(_pick(rng, VOICE_AI))
    elif rng.random() < 0.1:
        lines.append(_pick(rng, VOICE_AI))  # talks about voice AI, buys something else
    if rng.random() < 0.6:
        lines.append(_pick(rng, OTHER_PRODUCTS))
    if rng.random() < 0.15:
        lines.append(_pick(rng, TRAPS))
    order = rng.permutation(len(lines) - 1) + 1
    return "\n".join(["- " + lines[0], *("- " + lines[i] for i in order)]), said


def generate_world(n_leads: int = 3000, *, seed: int = 7, end: datetime | None = None, months: int = 8) -> World:
    """A deterministic org: `n_leads` created over `months` ending at `end`, the newest fifth still open."""
    rng = np.random.default_rng(seed)
    end = end or datetime(2026, 11, 30, tzinfo=UTC)
    start = end - timedelta(days=30 * months)
    created = sorted(
        start + timedelta(seconds=float(s)) for s in rng.uniform(0, (end - start).total_seconds(), n_leads)
    )
    cutoff = created[int(n_leads * 0.8)]
    leads, calls, truth = [], [], {}
    for i, when in enumerate(created):
        key = f"W{i:05d}"
        industry = _pick(rng, INDUSTRIES)
        employees = int(np.exp(rng.normal(4.5, 1.4))) if rng.random() < 0.85 else None
        source = _pick(rng, SOURCES)
        company = f"{_pick(rng, WORDS)} {_pick(rng, KINDS)} {i}"
        domain = company.lower().replace(" ", "") + ".example"
        intent = float(rng.normal(0.0, 1.0))
        fit = 0.25 * np.log1p(employees or 50) - 1.0 + SOURCE_EFFECT[source]
        voice_interest = bool(rng.random() < 0.15 + 0.45 * VOICE_AFFINITY.get(industry or "", 0.1))
        has_call = rng.random() < _sigmoid(0.8 * intent + 0.6)
        said: dict[str, bool] = {}
        notes = None
        if has_call:
            notes, said = _notes(rng, intent, voice_interest, employees)
        events = 0.6 * said.get("meeting", False) + 0.5 * said.get("trial", False) + 0.4 * said.get("dm", False)
        logit = -1.9 + 1.3 * intent + fit + events + (0.0 if has_call else -1.0)
        p_progress = _sigmoid(logit)
        p_voice_given = 0.8 if voice_interest else 0.04
        first, last = _pick(rng, FIRST), _pick(rng, LAST)
        free_mail = rng.random() < 0.08
        lead: dict[str, Any] = {
            "Key": key, "FirstName": first, "LastName": last, "Company": company,
            "Title": _pick(rng, ("CTO", "Head of Operations", "IT Manager", "Founder", "Analyst")),
            "Email": f"{first.lower()}.{last.lower()}@" + ("gmail.com" if free_mail else domain),
            "Website": None if free_mail and rng.random() < 0.5 else f"https://www.{domain}",
            "Industry": industry, "NumberOfEmployees": employees, "LeadSource": source,
            "Country": _pick(rng, ("US", "US", "UK", "DE", "BR", "MX")),
            "CreatedDate": _iso(when), "Status": "Open - Not Contacted", "StatusHistory": [],
        }  # fmt: skip
        progressed = bool(rng.random() < p_progress)
        voice = progressed and bool(rng.random() < p_voice_given)
        touched = when + timedelta(days=float(rng.uniform(1, 6)))
        decided = touched + timedelta(days=float(rng.uniform(5, 40)))
        call_at = when + timedelta(days=float(rng.uniform(0.5, 4)))
        is_open = when >= cutoff or decided >= end
        if touched < end:
            lead["StatusHistory"].append(
                {"CreatedDate": _iso(touched), "OldValue": "Open - Not Contacted", "NewValue": "Working - Contacted"}
            )
            lead["Status"] = "Working - Contacted"
        if not is_open:
            if progressed:
                lead["Status"] = "Closed - Converted"
                lead["ConvertedDate"] = decided.date().isoformat()
                stage = _pick(
                    rng, ("Qualification", "Needs Analysis", "Proposal/Price Quote", "Closed Won", "Closed Lost")
                )
                lead["Opportunity"] = {
                    "Name": f"{company} - new business", "StageName": stage, "Voice_AI__c": voice,
                    "CreatedDate": _iso(decided), "CloseDate": (decided + timedelta(days=60)).date().isoformat(),
                }  # fmt: skip
            else:
                lead["Status"] = "Closed - Not Converted"
                lead["StatusHistory"].append(
                    {"CreatedDate": _iso(decided), "OldValue": "Working - Contacted", "NewValue": lead["Status"]}
                )
        leads.append(lead)
        truth[key] = {
            "Key": key, "p_progress": p_progress, "p_voice_ai": p_progress * p_voice_given, "progressed": progressed,
            "voice_ai": voice, "decided_at": None if is_open else _iso(decided),
        }  # fmt: skip
        if notes is not None and call_at < end:
            rep_name, rep_email = _pick(rng, REPS)
            attendee = lead["Email"] if not free_mail else f"{first.lower()}@{domain}"
            call: dict[str, Any] = {
                "id": f"note-{key}", "title": _pick(rng, (f"Telnyx <> {company}", f"Intro call: {company}")),
                "started_at": _iso(call_at),
                "attendees": [{"email": attendee, "name": f"{first} {last}"}, {"email": rep_email, "name": rep_name}],
                "notes": notes, "transcript": None,
            }  # fmt: skip
            calls.append(call)
    return World(leads, calls, truth)


def _moment(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


LEAD_FIELDS = (
    "FirstName", "LastName", "Company", "Title", "Email", "Website", "Industry", "NumberOfEmployees",
    "AnnualRevenue", "Country", "LeadSource", "Description",
)  # fmt: skip
CONVERTED = "Closed - Converted"


def _events(lead: dict[str, Any]) -> list[tuple[datetime, int, str, dict[str, Any]]]:
    """(when, order, kind, data) for one lead: created, each status change, the conversion."""
    created = _moment(lead["CreatedDate"])
    history = lead.get("StatusHistory") or []
    first = history[0]["OldValue"] if history else (lead["Status"] if lead["Status"] != CONVERTED else "Open")
    out: list[tuple[datetime, int, str, dict[str, Any]]] = [(created, 0, "create", {"Status": first})]
    for change in history:
        if lead.get("ConvertedDate") and change["NewValue"] == CONVERTED:
            continue
        out.append((_moment(change["CreatedDate"]), 1, "status", {"Status": change["NewValue"]}))
    if lead.get("ConvertedDate"):
        day = datetime.fromisoformat(lead["ConvertedDate"][:10]).replace(hour=12, tzinfo=UTC)
        opportunity = lead.get("Opportunity")
        convert_at = _moment(opportunity["CreatedDate"]) if opportunity and opportunity.get("CreatedDate") else day
        out.append((max(convert_at, created), 2, "convert", opportunity or {}))
    return out


def load_world(fake: Any, clock: Any, world: World) -> dict[str, str]:
    """Replay the org's history into a FakeSalesforce whose clock is `clock` (a ManualClock before the first
    lead), event by event in time order, so CreatedDate, LeadHistory, ConvertedDate and every stamp are the
    org's own; returns lead key -> Salesforce Id. Opportunities get the custom `Voice_AI__c` checkbox."""
    from tests.fakes.salesforce.schema import FieldSpec

    if "Voice_AI__c" not in fake.store.schemas["Opportunity"]:
        fake.add_field("Opportunity", FieldSpec("Voice_AI__c", "boolean"))
    events = sorted(
        ((when, order, index, kind, data) for index, lead in enumerate(world.leads) for when, order, kind, data in
         _events(lead)),
        key=lambda e: (e[0], e[1], e[2]),
    )  # fmt: skip
    ids: dict[str, str] = {}
    for when, _order, index, kind, data in events:
        delta = (when - clock()).total_seconds()
        if delta > 0:
            clock.advance(delta)
        lead = world.leads[index]
        if kind == "create":
            values = {k: lead.get(k) for k in LEAD_FIELDS if lead.get(k) is not None}
            ids[lead["Key"]] = fake.add_lead(**values, Status=data["Status"])
        elif kind == "status":
            fake.edit(ids[lead["Key"]], Status=data["Status"])
        else:
            fields = {k: v for k, v in data.items() if k in ("Name", "StageName", "Amount", "CloseDate", "Voice_AI__c")}
            fake.convert_lead(ids[lead["Key"]], **fields)
    return ids


def cli_documents(output: str) -> dict[str, Any]:
    """The JSON documents a `fellow` command printed (one per step), merged into one dict."""
    merged: dict[str, Any] = {}
    decoder, position = json.JSONDecoder(), output.find("{")
    while position != -1:
        document, end = decoder.raw_decode(output, position)
        merged.update(document)
        position = output.find("{", end)
    return merged
