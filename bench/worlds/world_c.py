"""World C: an independently written synthetic Salesforce org of a B2B telecom / Voice AI vendor.

Written blind by an independent author in session 5, measured once with the org-world bench, and now retired to
development use (`BENCH_ORG_WORLD=c`): tuning against it no longer counts as a blind measurement.
`generate_world_c` writes leads.jsonl, calls.jsonl and truth.jsonl in the shape `read_world` reads,
deterministically (fixed seed; the default 3,000 leads give the same bytes as the measured world).

Generative story (all outcome draws are Bernoulli(p) from the latent state, so the true
p_progress / p_voice_ai are Bayes-optimal given everything observable):
  company  -> industry, size, country, fit, company-level intent component
  lead     -> person/title (seniority -> decision authority), source, email type, junk flag,
              buying intent (latent), product interest (voice_ai / sms / sip / verify)
  p_progress = sigmoid(b0 + intent + fit + authority + source + ...), b0 calibrated to ~22 %
  q_voice   = P(opportunity is Voice AI | progressed) from product interest + time trend
  contact / call / notes are generated from the latents only (noisy), never from the outcome.
  Decision timing depends on the outcome (converted faster) -> censoring at the cutoff.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

SEED = 20261130
START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
N_LEADS = 3000
TARGET_BASE = 0.22
OPEN_FRAC = 0.20

T = TypeVar("T")
Record = dict[str, Any]


# ----------------------------------------------------------------------------- helpers
def _pick(rng: np.random.Generator, seq: Sequence[T], p: Sequence[float] | None = None) -> T:
    weights = None
    if p is not None:
        weights = np.asarray(p, dtype=float)
        weights = weights / weights.sum()
    return seq[int(rng.choice(len(seq), p=weights))]


def _coin(rng: np.random.Generator, p: float) -> bool:
    return bool(rng.random() < p)


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fill(tpl: str, **kw: object) -> str:
    out = tpl
    for k, v in kw.items():
        out = out.replace("{" + k + "}", str(v))
    return out


# ----------------------------------------------------------------------------- vocab
# fmt: off
FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Patricia", "David", "Jennifer", "William",
         "Elizabeth", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
         "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley",
         "Paul", "Kimberly", "Andrew", "Emily", "Joshua", "Donna", "Kevin", "Michelle", "Brian", "Carol",
         "George", "Amanda", "Wei", "Priya", "Ahmed", "Fatima", "Hiroshi", "Yuki", "Olga", "Dmitri",
         "Lucas", "Sofia", "Mateo", "Valentina", "Noah", "Emma", "Liam", "Olivia", "Arjun", "Ananya",
         "Chinedu", "Ngozi", "Kwame", "Amara", "Lars", "Ingrid", "Pierre", "Camille", "Hans", "Greta",
         "Raj", "Deepa", "Tom", "Chloe", "Ben", "Hannah", "Diego", "Lucia", "Omar", "Layla", "Jin",
         "Mei", "Ravi", "Sunita", "Ethan", "Ava", "Aiden", "Mia", "Oscar", "Freya", "Felix", "Nora"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
        "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
        "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
        "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
        "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
        "Mitchell", "Carter", "Roberts", "Patel", "Shah", "Khan", "Chen", "Wang", "Kim", "Park",
        "Tanaka", "Sato", "Ivanov", "Petrov", "Muller", "Schmidt", "Fischer", "Dubois", "Laurent",
        "Rossi", "Bianchi", "Silva", "Santos", "Okafor", "Adeyemi", "Mensah", "Nakamura", "Larsen",
        "Johansson", "O'Brien", "Murphy", "Kelly", "Singh", "Gupta", "Iyer", "Reddy", "Cohen", "Levi",
        "Novak", "Horvat", "Kowalski", "Nowak", "Fernandes", "Costa", "Haddad", "Farah"]

ROOTS = ["North", "Bright", "Blue", "Iron", "Summit", "Cedar", "Harbor", "Lumen", "Vertex", "Nova",
         "Apex", "Crest", "River", "Stone", "Oak", "Pine", "Maple", "Silver", "Golden", "Red", "Clear",
         "True", "Prime", "Peak", "Falcon", "Eagle", "Atlas", "Orbit", "Pulse", "Quantum", "Signal",
         "Beacon", "Anchor", "Bridge", "Compass", "Horizon", "Meridian", "Pioneer", "Sterling", "Trinity",
         "Union", "Valley", "West", "East", "South", "Coastal", "Metro", "Urban", "Alpine", "Delta",
         "Echo", "Fusion", "Granite", "Jade", "Keystone", "Liberty", "Mosaic", "Nimbus", "Onyx", "Polar",
         "Radiant", "Sage", "Titan", "Vista", "Willow", "Zenith", "Aurora", "Bolt", "Cobalt", "Dawn",
         "Ember", "Flux", "Glide", "Halo", "Ivy", "Juniper", "Kinetic", "Lark", "Magnet", "Nexus"]
ROOT2 = ["wave", "point", "line", "field", "gate", "path", "works", "stack", "scale", "loop", "ware",
         "way", "bay", "brook", "ridge", "view", "spring", "light", "core", "link", "base", "hub",
         "mark", "port", "side", "wood", "star", "leaf", "stone", "sky"]

INDUSTRIES = ["Healthcare", "Financial Services", "Retail", "Technology", "Telecommunications",
              "Hospitality", "Real Estate", "Education", "Insurance", "Logistics", "Automotive",
              "Professional Services", "Media", "Government", "Other"]
IND_W = [11, 9, 9, 16, 7, 6, 6, 4, 5, 6, 5, 6, 3, 2, 5]
# fit contribution, product-interest weights [voice_ai, sms, sip, verify], typical size (log-median employees)
IND = {
    "Healthcare":           (0.45, [0.50, 0.30, 0.12, 0.08], 3.6),
    "Financial Services":   (0.25, [0.20, 0.20, 0.15, 0.45], 4.6),
    "Retail":               (-0.10, [0.20, 0.55, 0.10, 0.15], 4.2),
    "Technology":           (0.30, [0.35, 0.20, 0.25, 0.20], 3.9),
    "Telecommunications":   (0.55, [0.20, 0.15, 0.60, 0.05], 4.0),
    "Hospitality":          (0.20, [0.60, 0.30, 0.07, 0.03], 3.4),
    "Real Estate":          (0.00, [0.50, 0.35, 0.10, 0.05], 2.9),
    "Education":            (-0.40, [0.30, 0.40, 0.20, 0.10], 4.3),
    "Insurance":            (0.35, [0.55, 0.15, 0.20, 0.10], 4.8),
    "Logistics":            (0.10, [0.40, 0.35, 0.15, 0.10], 4.4),
    "Automotive":           (0.15, [0.60, 0.25, 0.10, 0.05], 3.5),
    "Professional Services": (-0.15, [0.40, 0.25, 0.25, 0.10], 3.0),
    "Media":                (-0.30, [0.25, 0.45, 0.15, 0.15], 3.7),
    "Government":           (-0.60, [0.35, 0.30, 0.30, 0.05], 5.5),
    "Other":                (-0.25, [0.35, 0.30, 0.20, 0.15], 3.3),
}
IND_WORDS = {
    "Healthcare": ["Dental", "Health", "Medical Group", "Clinic", "Pediatrics", "Dermatology", "Care", "Orthopedics"],
    "Financial Services": ["Capital", "Financial", "Lending", "Pay", "Credit Union", "Wealth", "Fintech"],
    "Retail": ["Outfitters", "Market", "Goods", "Supply Co", "Boutique", "Store"],
    "Technology": ["Labs", "AI", "Software", "Systems", "Technologies", "Cloud", "Data"],
    "Telecommunications": ["Telecom", "Networks", "Communications", "Voice", "Connect", "Tel"],
    "Hospitality": ["Hotels", "Restaurant Group", "Resorts", "Hospitality", "Inn", "Kitchen"],
    "Real Estate": ["Realty", "Properties", "Homes", "Property Management", "Real Estate"],
    "Education": ["Academy", "Learning", "Education", "Tutoring", "School"],
    "Insurance": ["Insurance", "Insurance Agency", "Assurance", "Benefits", "Underwriters"],
    "Logistics": ["Logistics", "Freight", "Transport", "Delivery", "Shipping"],
    "Automotive": ["Motors", "Auto Group", "Auto Repair", "Collision", "Automotive"],
    "Professional Services": ["Law Group", "Partners", "Consulting", "Accounting", "Advisors", "Legal"],
    "Media": ["Media", "Studios", "Digital", "Publishing", "Creative"],
    "Government": ["County Services", "City Office", "Public Works", "Municipal Services"],
    "Other": ["Group", "Co", "Enterprises", "Services", "Holdings"],
}
SUFFIX = ["", "", "", "", " Inc", " Inc.", " LLC", " Ltd", " Corp", " Co."]

COUNTRIES = [("United States", 0.25, ".com"), ("Canada", 0.15, ".ca"), ("United Kingdom", 0.15, ".co.uk"),
             ("Australia", 0.10, ".com.au"), ("Germany", 0.05, ".de"), ("Netherlands", 0.10, ".nl"),
             ("France", -0.05, ".fr"), ("Ireland", 0.10, ".ie"), ("India", -0.45, ".in"),
             ("Brazil", -0.35, ".com.br"), ("Mexico", -0.25, ".mx"), ("Nigeria", -0.55, ".ng"),
             ("Philippines", -0.40, ".ph"), ("Spain", -0.05, ".es"), ("Israel", 0.05, ".co.il"),
             ("Singapore", 0.05, ".sg"), ("South Africa", -0.30, ".co.za"), ("Pakistan", -0.60, ".pk")]
COUNTRY_W = [52, 7, 8, 4, 3, 2, 2, 1.5, 5, 2.5, 2, 1.5, 2, 1.5, 1, 1, 1.5, 1]
COUNTRY_ALIASES = {"United States": ["United States", "United States", "US", "USA", "U.S."],
                   "United Kingdom": ["United Kingdom", "UK", "GB"], "Germany": ["Germany", "DE"]}

SOURCES = ["Web - Demo Request", "Web - Contact Sales", "Web - Signup", "Content Download",
           "Partner Referral", "Event", "Outbound", "Paid Search", "Voice AI Webinar", None]
SOURCE_W = [16, 12, 20, 12, 5, 5, 9, 9, 4, 8]
SOURCE_EFF = {"Web - Demo Request": 0.45, "Web - Contact Sales": 0.55, "Web - Signup": -0.25,
              "Content Download": -0.70, "Partner Referral": 0.75, "Event": 0.05, "Outbound": -0.45,
              "Paid Search": -0.15, "Voice AI Webinar": 0.10, None: -0.20}
SOURCE_INTENT = {"Web - Demo Request": 0.35, "Web - Contact Sales": 0.45, "Web - Signup": 0.0,
                 "Content Download": -0.35, "Partner Referral": 0.30, "Event": 0.0, "Outbound": -0.45,
                 "Paid Search": -0.05, "Voice AI Webinar": 0.05, None: 0.0}

# title, seniority level (3 exec, 2 manager, 1 IC, 0 junior)
TITLES = [("CEO", 3), ("Founder", 3), ("Co-Founder", 3), ("Owner", 3), ("President", 3), ("CTO", 3),
          ("COO", 3), ("VP of Engineering", 3), ("VP Operations", 3), ("VP, Customer Experience", 3),
          ("Head of Product", 3), ("Director of IT", 2), ("IT Director", 2), ("Director of Operations", 2),
          ("Contact Center Manager", 2), ("Engineering Manager", 2), ("Product Manager", 2),
          ("Operations Manager", 2), ("Practice Manager", 2), ("Office Manager", 2), ("IT Manager", 2),
          ("Software Engineer", 1), ("Senior Software Engineer", 1), ("Developer", 1),
          ("Full Stack Developer", 1), ("Solutions Architect", 1), ("DevOps Engineer", 1),
          ("Business Analyst", 1), ("Marketing Specialist", 1), ("Consultant", 1),
          ("Intern", 0), ("Student", 0), ("Assistant", 0), ("Receptionist", 0), ("Junior Developer", 0),
          ("Research Assistant", 0)]
TITLE_W = [5, 5, 2, 4, 2, 4, 1.5, 2.5, 1.5, 1, 1.5, 2.5, 1, 2, 2, 2.5, 3, 2.5, 1.5, 2, 2,
           6, 2, 5, 2, 2, 1.5, 1.5, 1.5, 2, 1.5, 2, 1.5, 1, 1.5, 0.7]
SEN_EFF = {3: 0.35, 2: 0.15, 1: -0.10, 0: -0.55, None: 0.0}
SEN_DM = {3: 0.82, 2: 0.45, 1: 0.15, 0: 0.04, None: 0.40}

PRODUCTS = ["voice_ai", "sms", "sip", "verify"]
Q_VOICE = {"voice_ai": 0.80, "sms": 0.07, "sip": 0.15, "verify": 0.04}

COMPETITORS = ["Twilio", "Vonage", "Bandwidth", "Plivo", "RingCentral", "Five9", "Vapi", "Retell",
               "Sinch", "MessageBird", "Bland", "Synthflow", "8x8", "Dialpad", "Aircall"]
COMP_BY_PROD = {"voice_ai": ["Vapi", "Retell", "Bland", "Synthflow", "Twilio", "Five9"],
                "sms": ["Twilio", "Sinch", "MessageBird", "Plivo", "Bandwidth"],
                "sip": ["Bandwidth", "Twilio", "Vonage", "RingCentral", "8x8", "Dialpad"],
                "verify": ["Twilio", "Sinch", "Vonage", "Plivo"]}

REPS = [  # name, email, style, start date (joined), weight
    ("Marcus Bell", "marcus.bell@telnyx.com", "terse", START, 1.0),
    ("Priya Raman", "priya.raman@telnyx.com", "recap", START, 1.0),
    ("Jordan Okafor", "jordan.okafor@telnyx.com", "bullets", START, 1.0),
    ("Elena Varga", "elena.varga@telnyx.com", "transcript", dt.datetime(2026, 5, 15, tzinfo=dt.UTC), 1.1),
    ("Sam Whitaker", "sam.whitaker@telnyx.com", "vague", START, 0.8),
    ("Aisha Karim", "aisha.karim@telnyx.com", "mixed", dt.datetime(2026, 7, 1, tzinfo=dt.UTC), 1.2),
]
SE = [("Tomas Reyes", "tomas.reyes@telnyx.com"), ("Grace Liu", "grace.liu@telnyx.com")]

FREE_MAIL = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com"]
# fmt: on


# ----------------------------------------------------------------------------- companies
def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def _make_company(rng: np.random.Generator, used_names: set[str], used_domains: set[str]) -> Record:
    industry = _pick(rng, INDUSTRIES, IND_W)
    ci = int(rng.choice(len(COUNTRIES), p=np.array(COUNTRY_W) / sum(COUNTRY_W)))
    country, ceff, tld = COUNTRIES[ci]
    for _ in range(50):
        form = rng.random()
        r1 = _pick(rng, ROOTS)
        if form < 0.35:
            core = r1 + _pick(rng, ROOT2)
            name = core + " " + _pick(rng, IND_WORDS[industry])
        elif form < 0.55:
            core = r1 + _pick(rng, ROOT2)
            name = core
        elif form < 0.70:
            core = _pick(rng, LAST)
            name = core + " " + _pick(rng, IND_WORDS[industry])
        elif form < 0.80:
            a, b = _pick(rng, LAST), _pick(rng, LAST)
            core = a + b
            name = f"{a} & {b} {_pick(rng, IND_WORDS[industry])}"
        else:
            core = r1 + " " + _pick(rng, ROOTS)
            name = core + " " + _pick(rng, IND_WORDS[industry])
        name = name + _pick(rng, SUFFIX)
        if name not in used_names:
            break
    used_names.add(name)
    dom_tld = tld if _coin(rng, 0.6) else _pick(rng, [".com", ".com", ".io", ".ai", ".co", ".net"])
    domain = _slug(core) + dom_tld
    if domain in used_domains:  # distinct companies never share a domain
        domain = _slug(core) + _slug(IND_WORDS[industry][0]) + dom_tld
        k = 2
        while domain in used_domains:
            domain = _slug(core) + _slug(IND_WORDS[industry][0]) + str(k) + dom_tld
            k += 1
    used_domains.add(domain)
    base_size = IND[industry][2]
    emp = int(max(1, round(math.exp(rng.normal(base_size, 1.35)))))
    size_eff = 0.0
    if emp < 5:
        size_eff = -0.55
    elif emp < 20:
        size_eff = -0.15
    elif emp < 200:
        size_eff = 0.15
    elif emp < 2000:
        size_eff = 0.30
    else:
        size_eff = 0.05  # enterprise: slow procurement
    fit = IND[industry][0] + ceff + size_eff + rng.normal(0, 0.35)
    rev = emp * math.exp(rng.normal(11.7, 0.6))
    return {
        "name": name,
        "core": core,
        "industry": industry,
        "country": country,
        "domain": domain,
        "employees": emp,
        "revenue": rev,
        "fit": fit,
        "cint": rng.normal(0, 0.55),
        "prod_w": np.array(IND[industry][1], dtype=float),
    }


def _company_variant(rng: np.random.Generator, name: str) -> str:
    """Same company typed differently by a different person."""
    r = rng.random()
    base = re.sub(r"( Inc\.?| LLC| Ltd| Corp| Co\.)$", "", name)
    if r < 0.3:
        return base
    if r < 0.45:
        return base.upper() if len(base) < 18 else base
    if r < 0.6:
        return base.lower()
    if r < 0.75:
        return base + _pick(rng, [" Inc", ", Inc.", " LLC", " Ltd."])
    if r < 0.85:
        return base.split(" ")[0]
    return name


# ----------------------------------------------------------------------------- lead creation dates
def _sample_created(rng: np.random.Generator, n: int) -> list[dt.datetime]:
    total = (END - START).total_seconds()
    out: list[dt.datetime] = []
    while len(out) < n:
        u = rng.random()
        # volume ramps up: density proportional to 1 + a*x  (a = 0.8)
        a = 0.8
        x = (-1 + math.sqrt(1 + a * (2 + a) * u)) / a
        t = START + dt.timedelta(seconds=x * total)
        if t.weekday() >= 5 and _coin(rng, 0.65):
            continue
        hour = int(np.clip(rng.normal(16, 4), 0, 23))
        t = t.replace(hour=hour, minute=int(rng.integers(0, 60)), second=int(rng.integers(0, 60)))
        if t >= END - dt.timedelta(hours=1):
            continue
        out.append(t)
    return out


# ----------------------------------------------------------------------------- product phrases
# fmt: off
PROD_PHRASES = {
    "voice_ai": ["an AI voice agent for inbound calls", "an AI receptionist for after-hours calls",
                 "replacing their legacy IVR with a conversational agent", "a voice bot that books appointments",
                 "an LLM phone agent to deflect tier-1 support", "AI agents making outbound reminder calls",
                 "voice AI for order status lines", "an automated front desk that answers the phone"],
    "sms": ["two-way SMS with customers", "appointment reminder texts", "bulk promotional SMS",
            "10DLC registration and A2P messaging", "order notification texts", "SMS for driver dispatch"],
    "sip": ["SIP trunking for their PBX", "elastic SIP trunks for the contact center",
            "porting their DIDs off the current carrier", "BYOC trunks into their CCaaS",
            "cheaper termination for outbound dialing", "toll-free numbers plus trunking"],
    "verify": ["OTP / 2FA over SMS and voice", "phone number verification at signup",
               "number lookup to fight signup fraud", "one-time passcodes for logins",
               "carrier lookup before sending codes"],
}
PROD_SHORT = {"voice_ai": ["voice AI", "AI agent", "AI receptionist", "conv. IVR", "voice bot", "AI voice"],
              "sms": ["SMS", "messaging", "10DLC", "texting", "A2P SMS"],
              "sip": ["SIP", "trunking", "SIP trunks", "porting + DIDs", "elastic SIP"],
              "verify": ["verify", "2FA", "OTP", "number lookup"]}
PROD_NAME = {"voice_ai": "Voice AI", "sms": "Messaging", "sip": "SIP Trunking", "verify": "Verify API"}
# fmt: on


def _prod_phrase(rng: np.random.Generator, p: str) -> str:
    return _pick(rng, PROD_PHRASES[p])


def _prod_short(rng: np.random.Generator, p: str) -> str:
    return _pick(rng, PROD_SHORT[p])


# ----------------------------------------------------------------------------- web-form description
# fmt: off
DESC_T = {
    "voice_ai": ["We get ~{vol} calls a day and want an AI agent to answer the simple ones.",
                 "Looking for an AI receptionist for our {n} locations.",
                 "Interested in your voice AI assistant. Need it to book appointments into our calendar.",
                 "Our IVR is outdated, exploring conversational AI options.",
                 "Can your AI agents handle outbound reminder calls?"],
    "sms": ["Need to send appointment reminders by text.",
            "Want to send SMS notifications to customers, about {vol}k/month.",
            "Looking for 10DLC registration help and SMS API.", "Do you support two-way texting?"],
    "sip": ["Need SIP trunks for our 3CX system.", "Looking to port {n} numbers and get SIP trunking.",
            "Pricing for outbound termination to US/CA?", "Need elastic SIP for our call center ({n} seats)."],
    "verify": ["Need OTP verification for our app signups.", "Interested in Verify API for 2FA.",
               "Want number lookup to reduce fake accounts."],
    "generic": ["Please contact me.", "Want pricing.", "Interested in learning more.", "demo please",
                "Need more info about your platform", "Call me", "Exploring options for our business communications."],
    "junk": ["We provide SEO services to rank your website on Google page 1.", "test", "asdf",
             "I am a student doing research on telecom APIs.", "Can I get a free phone number?"],
}
# fmt: on


def _make_description(rng: np.random.Generator, prod: str, junk: bool, intent: float) -> str | None:
    if junk:
        return _pick(rng, DESC_T["junk"]) if _coin(rng, 0.7) else None
    if not _coin(rng, 0.45):
        return None
    if _coin(rng, 0.25):
        return _pick(rng, DESC_T["generic"])
    p = prod if _coin(rng, 0.8) else _pick(rng, PRODUCTS)
    s = _fill(_pick(rng, DESC_T[p]), vol=int(rng.integers(2, 40)) * 10, n=int(rng.integers(2, 60)))
    if intent > 0.8 and _coin(rng, 0.3):
        s += _pick(
            rng,
            [
                " Want to go live this quarter.",
                " Timeline is ASAP.",
                " We have budget approved.",
                " Currently on Twilio and looking to switch.",
            ],
        )
    if _coin(rng, 0.1):
        s = s.lower()
    return s


# ----------------------------------------------------------------------------- call signals
def _draw_signals(rng: np.random.Generator, L: Record) -> Record:
    """Noisy, observable-in-call facets of the latent state. Never uses the outcome."""
    it = L["intent"]
    s: Record = {}
    # budget: yes / no / unknown
    pb_yes = _sig(1.1 * it + 0.4 * L["company"]["fit"] - 0.4)
    pb_no = _sig(-1.2 * it - 1.0)
    r = rng.random()
    s["budget"] = "yes" if r < pb_yes else ("no" if r < pb_yes + (1 - pb_yes) * pb_no else "unknown")
    # authority
    if L["dm"]:
        s["authority"] = "dm"
    else:
        if L["seniority"] == 0 or (L["company"]["employees"] < 15 and _coin(rng, 0.35)):
            s["authority"] = _pick(rng, ["family", "junior", "junior"]) if L["company"]["employees"] < 30 else "junior"
        else:
            s["authority"] = "influencer"
    # need strength
    s["need"] = (
        "strong" if it + rng.normal(0, 0.7) > 0.6 else ("weak" if it + rng.normal(0, 0.7) < -0.7 else "moderate")
    )
    # timeline
    z = it + rng.normal(0, 0.8)
    s["timeline"] = "now" if z > 0.9 else ("quarter" if z > 0.0 else ("later" if z > -1.0 else "none"))
    # next step
    z = it + 0.3 * L["company"]["fit"] + rng.normal(0, 0.8)
    s["next"] = (
        "pilot" if z > 1.5 else "demo" if z > 0.6 else "pricing" if z > -0.1 else "email" if z > -0.9 else "none"
    )
    s["pricing_req"] = _coin(rng, _sig(0.8 * it - 0.2))
    # competitor context
    s["competitor"] = None
    if _coin(rng, 0.38):
        comp = _pick(rng, COMP_BY_PROD[L["product"]])
        kind = "evaluating" if _coin(rng, _sig(0.6 * it)) else "locked"
        s["competitor"] = (comp, kind)
    # product talked about (noisy): primary mostly, sometimes a secondary too
    s["prod"] = L["product"] if _coin(rng, 0.85) else _pick(rng, PRODUCTS)
    s["prod2"] = L["product2"]
    s["volume"] = int(max(1, round(math.exp(rng.normal(math.log(max(L["company"]["employees"], 2)) + 3.0, 1.0)))))
    s["stakeholders"] = _coin(rng, _sig(0.7 * it - 1.0))
    return s


# reps sometimes mis-hear / over-sell
def _rep_view(rng: np.random.Generator, s: Record, style: str) -> Record:
    v = dict(s)
    if style == "vague" and v["budget"] == "unknown" and _coin(rng, 0.35):
        v["budget"] = "yes"  # happy ears
    if _coin(rng, 0.08):
        v["budget"] = _pick(rng, ["yes", "no", "unknown"])
    if _coin(rng, 0.06):
        v["timeline"] = _pick(rng, ["now", "quarter", "later", "none"])
    return v


# --- sentence templates (prose) ------------------------------------------------------------
# fmt: off
T_OPEN = ["Intro call with {first} from {co}.", "Spoke with {first} ({title}) at {co}.",
          "First call with {co} - {first} joined{plus}.", "Discovery with {first} at {co} today.",
          "Quick intro with {first} re: {prod_short}.", "Met {first} from {co}; came in via {src}."]
T_NEED = {
    "strong": ["They urgently need {prod_phrase}; current setup is {pain}.",
               "Main pain: {pain}. They want {prod_phrase} and it's a top priority for {first}.",
               "{first} was very clear they need {prod_phrase} - {pain}.",
               "Big pain around {pain}, which is why they're looking at {prod_phrase}."],
    "moderate": ["They're looking at {prod_phrase}.", "Interest is in {prod_phrase}, mostly to fix {pain}.",
                 "Use case: {prod_phrase}. Some pain with {pain} but they're coping.",
                 "{first} wants to understand {prod_phrase} better before committing."],
    "weak": ["Mostly just researching {prod_phrase}, no burning pain.",
             "Honestly seemed like tire-kicking; curious about {prod_phrase}.",
             "They don't have a real problem today, were just curious about {prod_phrase}.",
             "Not much pain - current provider is 'fine', exploring {prod_phrase} for later."],
}
PAIN = {"voice_ai": ["missed calls after hours", "long hold times", "front desk staff overloaded",
                     "a clunky press-1 IVR customers hate", "high agent turnover"],
        "sms": ["no-shows on appointments", "messages getting filtered by carriers", "10DLC campaign rejections",
                "manual texting from personal phones"],
        "sip": ["high per-minute costs", "poor call quality on the current carrier", "slow number porting",
                "outages with the current SIP provider"],
        "verify": ["fake signups", "SMS pumping fraud", "OTP delivery failures in some countries",
                   "high 2FA costs"]}
T_BUDGET = {
    "yes": ["Budget is approved - roughly {amount}/mo.",
            "They have budget set aside for this ({amount}/month ballpark).",
            "Money is there; {first} mentioned {amount} a month is fine.", "Budget confirmed for this fiscal year."],
    "no": ["No budget this year.", "They do not have budget allocated - would need to build a business case.",
           "Budget is a problem; {first} said they can't spend until next FY.",
           "Price sensitive, no budget approved yet and not sure there will be."],
    "unknown": ["Asked about budget, didn't get a clear answer.", "Budget not discussed.",
                "I asked if they had budget set aside - {first} deflected.",
                "Unclear on budget; said they'd 'see what makes sense'."],
}
T_AUTH = {
    "dm": ["{first} is the decision maker.", "{first} owns the decision and signs the contracts.",
           "Talking to the right person - {first} runs {dept} and makes the call.",
           "{first} confirmed they can sign off themselves."],
    "influencer": ["{first} is not the decision maker; their {boss} signs off.",
                   "Needs to loop in the {boss} before anything moves.",
                   "{first} will champion internally but the {boss} decides.",
                   "I asked who else is involved in the decision - {first} wasn't sure."],
    "junior": ["{first} is an intern doing research for the team - not the decision maker.",
               "Spoke with a junior dev; no authority, will 'pass it along'.",
               "{first} was asked by their manager to collect info. Not a decision maker.",
               "Contact is junior; no visibility into budget or decision."],
    "family": ["Call was with {first}, the owner's {rel}, who helps out with the business. Owner not on the call.",
               "{first} is the owner's {rel} - helping set things up, owner makes the decisions.",
               "Turns out {first} is family of the owner, not staff; owner would decide."],
}
T_TIME = {
    "now": ["Want to be live in the next 30 days.", "Timeline: ASAP, they have a launch in {month}.",
            "Hard deadline - current contract ends in {month}.", "Looking to go live this month."],
    "quarter": ["Timeline is next quarter.", "Aiming for something by {month}.",
                "Evaluating now, decision expected within the quarter."],
    "later": ["Probably a 2027 project.", "No rush, maybe later next year.",
              "Timeline is fuzzy - 'sometime after the holidays'."],
    "none": ["No timeline.", "Asked about timing; they don't have one.", "No defined timeline, just exploring."],
}
T_NEXT = {
    "pilot": ["Agreed to a 2-week pilot starting {day}.", "Setting up a POC with {n} numbers next week.",
              "They want a paid pilot - sending pilot terms.", "Pilot kickoff booked for {day}."],
    "demo": ["Booked a technical demo with their team on {day}.", "Follow-up demo scheduled {day} with {se}.",
             "Next step: deep-dive with engineering on {day}."],
    "pricing": ["Sending pricing after the call.", "They asked for a quote for ~{volume} {unit}/month.",
                "Will send a proposal with volume pricing."],
    "email": ["{first} asked me to just email some info.", "Sending a follow-up email with docs; no meeting booked.",
              "Said they'll reach out if interested."],
    "none": ["No next steps agreed.", "Left it open - no follow-up scheduled.",
             "They'll think about it; nothing booked."],
}
T_COMP = {
    "evaluating": ["Also evaluating {comp}.", "Comparing us against {comp} on price and latency.",
                   "Currently trialing {comp} in parallel.", "Got a quote from {comp} already, want to compare."],
    "locked": ["Locked into a {comp} contract until {month}.", "Happy-ish with {comp}, switching cost is a concern.",
               "Heavily integrated with {comp}; would be a big lift to move.",
               "Just renewed with {comp}, so limited appetite to switch."],
}
T_NEG_PROD = ["Explicitly not interested in voice AI - just need {prod_short}.",
              "Mentioned AI agents but {first} said that's not a fit for them right now.",
              "They don't want anything AI-driven, only plain {prod_short}."]
T_SECOND = ["Also some interest in {prod_phrase2} down the road.", "Could expand into {prod_phrase2} later.",
            "Side note: asked whether we also do {prod_phrase2}."]
T_STAKE = ["Their {boss} joined halfway through.", "{n} people from their side on the call.",
           "Brought a colleague from engineering."]
T_PRICE_Q = ["Asked a lot of pricing questions.", "Wanted per-minute and per-message rates.",
             "Asked for a rate card."]
T_VAGUE = ["Good call.", "Nice chat, seem interested.", "Will follow up.", "Solid intro.",
           "Positive vibes, let's see.", "Went ok.", "Follow up next week.", "They liked the demo.",
           "Sent deck.", "Interesting use case."]

BOSS = ["CTO", "CEO", "VP Ops", "director", "owner", "procurement team", "head of IT", "board", "CFO"]
DEPT = ["IT", "operations", "the contact center", "engineering", "the business", "product"]
REL = ["son", "daughter", "wife", "husband", "nephew", "brother", "niece", "sister"]
UNIT = {"voice_ai": "minutes", "sms": "messages", "sip": "minutes", "verify": "verifications"}
# fmt: on


def _month_name(t: dt.datetime, add_days: int) -> str:
    return (t + dt.timedelta(days=add_days)).strftime("%B")


def _day_name(rng: np.random.Generator, t: dt.datetime, add_days: int) -> str:
    return (t + dt.timedelta(days=add_days)).strftime(_pick(rng, ["%a %m/%d", "%A", "%b %d", "%m/%d"]))


def _ctx_for(rng: np.random.Generator, L: Record, s: Record, call_t: dt.datetime) -> Record:
    amount = f"${int(max(200, round(L['company']['employees'] * rng.uniform(8, 60), -2))):,}"
    return dict(
        first=L["first"],
        co=L["co_spoken"],
        title=L["title"] or "no title given",
        prod_short=_prod_short(rng, s["prod"]),
        prod_phrase=_prod_phrase(rng, s["prod"]),
        prod_phrase2=_prod_phrase(rng, s["prod2"]) if s["prod2"] else "",
        pain=_pick(rng, PAIN[s["prod"]]),
        amount=amount,
        boss=_pick(rng, BOSS),
        dept=_pick(rng, DEPT),
        rel=_pick(rng, REL),
        month=_month_name(call_t, int(rng.integers(20, 120))),
        day=_day_name(rng, call_t, int(rng.integers(2, 12))),
        n=int(rng.integers(2, 6)),
        se=_pick(rng, SE)[0].split()[0],
        volume=f"{s['volume']:,}",
        unit=UNIT[s["prod"]],
        src=(L["source"] or "unknown source").lower(),
        plus="" if not s["stakeholders"] else " with a colleague",
    )


def _sentences(
    rng: np.random.Generator, L: Record, s: Record, ctx: Record, p_mention: dict[str, float]
) -> list[tuple[str, str]]:
    """Return list of (topic, sentence) - each topic mentioned with probability p_mention[topic]."""
    out = []

    def f(t: str) -> str:
        return _fill(t, **ctx)

    out.append(("need", f(_pick(rng, T_NEED[s["need"]]))))
    if _coin(rng, p_mention["budget"]):
        out.append(("budget", f(_pick(rng, T_BUDGET[s["budget"]]))))
    if _coin(rng, p_mention["authority"]):
        out.append(("authority", f(_pick(rng, T_AUTH[s["authority"]]))))
    if _coin(rng, p_mention["timeline"]):
        out.append(("timeline", f(_pick(rng, T_TIME[s["timeline"]]))))
    if s["competitor"] and _coin(rng, p_mention["competitor"]):
        comp, kind = s["competitor"]
        out.append(("competitor", _fill(_pick(rng, T_COMP[kind]), comp=comp, month=ctx["month"])))
    if s["prod"] != "voice_ai" and _coin(rng, 0.12):
        out.append(("negprod", f(_pick(rng, T_NEG_PROD))))
    if s["prod2"] and _coin(rng, 0.5):
        out.append(("second", f(_pick(rng, T_SECOND))))
    if s["stakeholders"] and _coin(rng, 0.5):
        out.append(("stake", f(_pick(rng, T_STAKE))))
    if s["pricing_req"] and _coin(rng, 0.5):
        out.append(("price", f(_pick(rng, T_PRICE_Q))))
    if _coin(rng, p_mention["next"]):
        out.append(("next", f(_pick(rng, T_NEXT[s["next"]]))))
    return out


# fmt: off
TERSE_KEYS = {
    "budget": {"yes": ["BGT: yes ({amount}/mo)", "budget ok ~{amount}", "$$: approved"],
               "no": ["BGT: none", "no budget", "$$: not allocated"],
               "unknown": ["BGT: ?", "budget unk", "$$: tbd"]},
    "authority": {"dm": ["DM: Y", "DM", "auth: {first} signs"],
                  "influencer": ["DM: N ({boss})", "not DM - {boss}", "auth: champion only"],
                  "junior": ["DM: N (junior)", "intern/jr - no auth", "auth: none"],
                  "family": ["DM: N (owner's {rel})", "talked to owner's {rel}", "auth: family member"]},
    "timeline": {"now": ["TL: <30d", "TL asap", "go-live {month}"], "quarter": ["TL: next Q", "TL ~{month}"],
                 "later": ["TL: 2027?", "TL: later"], "none": ["TL: none", "no TL"]},
    "next": {"pilot": ["NS: pilot {day}", "next: POC"], "demo": ["NS: demo {day}", "next: tech deep dive w/ {se}"],
             "pricing": ["NS: send pricing", "next: quote"], "email": ["NS: email info", "next: fu email"],
             "none": ["NS: none", "next: ?"]},
    "need": {"strong": ["pain: {pain} (high)", "NEED: {prod_short} - urgent"],
             "moderate": ["need: {prod_short}", "UC: {prod_short}"],
             "weak": ["need: low / researching", "UC: {prod_short}?? curious only"]},
}
# fmt: on


def _notes_terse(rng: np.random.Generator, L: Record, s: Record, ctx: Record) -> str:
    parts = []

    def f(t: str) -> str:
        return _fill(t, **ctx)

    parts.append(f(_pick(rng, ["{co}", "{first}/{co}", "intro {co}", ""])).strip())
    parts.append(f(_pick(rng, TERSE_KEYS["need"][s["need"]])))
    for k in ["authority", "budget", "timeline"]:
        if _coin(rng, 0.75):
            parts.append(f(_pick(rng, TERSE_KEYS[k][s[k]])))
    if s["competitor"] and _coin(rng, 0.7):
        comp, kind = s["competitor"]
        parts.append(f"comp: {comp}" + (" (eval)" if kind == "evaluating" else " (incumbent, contract)"))
    if s["prod"] != "voice_ai" and _coin(rng, 0.1):
        parts.append("NOT interested in AI")
    if s["prod2"] and _coin(rng, 0.4):
        parts.append("also " + _prod_short(rng, s["prod2"]))
    if s["pricing_req"] and _coin(rng, 0.5):
        parts.append("wants rates")
    if _coin(rng, 0.85):
        parts.append(f(_pick(rng, TERSE_KEYS["next"][s["next"]])))
    parts = [p for p in parts if p]
    sep = _pick(rng, [" | ", ". ", "; ", "\n"])
    return sep.join(parts)


def _notes_recap(rng: np.random.Generator, L: Record, s: Record, ctx: Record) -> str:
    sents = _sentences(rng, L, s, ctx, dict(budget=0.8, authority=0.8, timeline=0.8, competitor=0.8, next=0.95))
    opening = _fill(_pick(rng, T_OPEN), **ctx)
    body = [x[1] for x in sents]
    # paragraph split
    cut = max(1, len(body) // 2)
    extra = _pick(
        rng,
        [
            "",
            " Overall I think there's something here.",
            " Not sure how serious they are.",
            " Will update after the next touchpoint.",
            " Good energy on the call.",
            "",
        ],
    )
    return opening + " " + " ".join(body[:cut]) + "\n\n" + " ".join(body[cut:]) + extra


def _notes_bullets(rng: np.random.Generator, L: Record, s: Record, ctx: Record) -> str:
    sents = _sentences(rng, L, s, ctx, dict(budget=0.65, authority=0.7, timeline=0.6, competitor=0.7, next=0.9))
    bullet = _pick(rng, ["- ", "* ", "• "])
    head = _fill(_pick(rng, ["{co} intro", "Notes - {co}", "{first} @ {co}", "Summary:"]), **ctx)
    return head + "\n" + "\n".join(bullet + x[1] for x in sents)


def _notes_vague(rng: np.random.Generator, L: Record, s: Record, ctx: Record) -> str:
    bits = [_pick(rng, T_VAGUE)]
    if _coin(rng, 0.5):
        bits.append(
            _fill(_pick(rng, ["Interested in {prod_short}.", "Re {prod_short}.", "{prod_short} use case."]), **ctx)
        )
    if _coin(rng, 0.3):
        bits.append(_fill(_pick(rng, T_BUDGET[s["budget"]]), **ctx))
    if _coin(rng, 0.25):
        bits.append(_fill(_pick(rng, T_AUTH[s["authority"]]), **ctx))
    if _coin(rng, 0.4):
        bits.append(_pick(rng, T_VAGUE))
    return " ".join(bits)


def _notes_short(rng: np.random.Generator, L: Record, s: Record, ctx: Record) -> str:
    return _fill(
        _pick(
            rng,
            [
                "Recording attached. {prod_short} discussion.",
                "See transcript.",
                "Intro w/ {first}. Transcript below.",
                "{co} - {prod_short}. Details in recording.",
            ],
        ),
        **ctx,
    )


# --- transcript ----------------------------------------------------------------------------
def _transcript(rng: np.random.Generator, L: Record, s: Record, ctx: Record, rep_name: str) -> list[dict[str, str]]:
    rep = rep_name
    pro = f"{L['first']} {L['last']}"

    def f(t: str) -> str:
        return _fill(t, **ctx)

    T = []
    T.append(
        (
            rep,
            f(
                _pick(
                    rng,
                    [
                        "Hi {first}, thanks for making the time.",
                        "Hey {first}, how's it going?",
                        "Thanks for jumping on. Can you hear me ok?",
                    ],
                )
            ),
        )
    )
    T.append((pro, _pick(rng, ["Yeah, all good.", "Hi, yes, thanks.", "Sure, no problem.", "Hey. Yep."])))
    T.append(
        (
            rep,
            _pick(
                rng,
                [
                    "So what prompted you to reach out?",
                    "Tell me a bit about what you're trying to solve.",
                    "What are you looking to do with us?",
                ],
            ),
        )
    )
    need_ans = {
        "strong": [
            "We really need {prod_phrase}. Right now it's {pain} and it's costing us.",
            "Honestly it's urgent. {pain} is killing us, so {prod_phrase} is the priority.",
        ],
        "moderate": [
            "We're looking into {prod_phrase}. There's some {pain}, nothing dramatic.",
            "Mainly {prod_phrase}. Trying to see what's out there.",
        ],
        "weak": [
            "I'm just kind of researching {prod_phrase}, no specific project yet.",
            "Just curious really. Someone mentioned {prod_phrase} and I wanted to learn more.",
        ],
    }
    T.append((pro, f(_pick(rng, need_ans[s["need"]]))))
    topics = ["budget", "authority", "timeline", "volume"]
    order = [topics[i] for i in rng.permutation(len(topics))]
    for tp in order:
        if tp == "budget" and _coin(rng, 0.75):
            T.append(
                (
                    rep,
                    _pick(
                        rng,
                        [
                            "Do you have budget allocated for this?",
                            "Is there a budget range you're working with?",
                            "Has budget been set aside for this project?",
                        ],
                    ),
                )
            )
            ans = {
                "yes": [
                    "Yes, it's approved. Somewhere around {amount} a month.",
                    "We do, yeah. Budget's been signed off.",
                ],
                "no": [
                    "Not really, no. We'd have to justify it first.",
                    "There's no budget for this right now, to be honest.",
                ],
                "unknown": [
                    "Hmm, I'd have to check on that.",
                    "Depends on the price, I guess.",
                    "That's not really my area.",
                ],
            }
            T.append((pro, f(_pick(rng, ans[s["budget"]]))))
        elif tp == "authority" and _coin(rng, 0.7):
            T.append(
                (
                    rep,
                    _pick(
                        rng,
                        [
                            "Who else would be involved in making the decision?",
                            "Are you the one who'd sign off on this?",
                            "What does the approval process look like on your side?",
                        ],
                    ),
                )
            )
            ans = {
                "dm": [
                    "That's me. I make the call.",
                    "I'm the owner, so it's my decision.",
                    "I sign off on vendors, yes.",
                ],
                "influencer": [
                    "I'd bring it to our {boss}, they have final say.",
                    "I recommend, but the {boss} approves.",
                ],
                "junior": ["Oh, I'm just gathering info for my manager.", "I'm an intern, so I'd pass this along."],
                "family": [
                    "I'm helping my {rel}'s business, they'd decide.",
                    "It's my family's business, my {rel} runs it.",
                ],
            }
            T.append((pro, f(_pick(rng, ans[s["authority"]]))))
        elif tp == "timeline" and _coin(rng, 0.65):
            T.append(
                (rep, _pick(rng, ["What's your timeline looking like?", "When would you ideally want this live?"]))
            )
            ans = {
                "now": ["As soon as possible. Ideally within a month.", "Our contract ends in {month}, so soon."],
                "quarter": ["Probably next quarter.", "Sometime around {month}."],
                "later": ["No rush. Maybe next year.", "Not before the new year, honestly."],
                "none": ["We don't really have one.", "No timeline yet."],
            }
            T.append((pro, f(_pick(rng, ans[s["timeline"]]))))
        elif tp == "volume" and _coin(rng, 0.5):
            T.append((rep, "Roughly what volumes are we talking about?"))
            T.append(
                (
                    pro,
                    f(
                        _pick(
                            rng,
                            [
                                "Maybe {volume} {unit} a month?",
                                "I'd guess around {volume} {unit} monthly.",
                                "Not sure. I'd need to check.",
                            ],
                        )
                    ),
                )
            )
    if s["competitor"] and _coin(rng, 0.7):
        comp, kind = s["competitor"]
        T.append((rep, _pick(rng, ["Are you looking at anyone else?", "What are you using today?"])))
        T.append(
            (
                pro,
                (
                    f"We're also talking to {comp}."
                    if kind == "evaluating"
                    else f"We're on {comp} right now, under contract."
                ),
            )
        )
    if s["prod2"] and _coin(rng, 0.4):
        T.append((pro, f(_pick(rng, ["Do you also do {prod_phrase2}?", "Could we use you for {prod_phrase2} too?"]))))
        T.append((rep, "Yes, that's something we support as well."))
    if s["pricing_req"] and _coin(rng, 0.6):
        T.append(
            (pro, _pick(rng, ["Can you send over pricing?", "What does pricing look like?", "Is there a rate card?"]))
        )
        T.append((rep, "Absolutely, I'll send that over after the call."))
    nxt_rep = {
        "pilot": "Would a short pilot make sense as a next step?",
        "demo": "Can we set up a deeper demo with your team?",
        "pricing": "Should I put together a quote?",
        "email": "Want me to set up a follow-up?",
        "none": "Does it make sense to schedule a follow-up?",
    }
    nxt_pro = {
        "pilot": ["Yes, let's do a pilot. {day} works.", "A pilot would be great."],
        "demo": ["Sure, {day} works for us.", "Yeah, let's get engineering on a call."],
        "pricing": ["Send me a quote and I'll take a look.", "Yes, a quote would help."],
        "email": ["Maybe just email me something for now.", "Send me some info and I'll review."],
        "none": ["Let me think about it and get back to you.", "I'll reach out if we decide to move forward."],
    }
    T.append((rep, nxt_rep[s["next"]]))
    T.append((pro, f(_pick(rng, nxt_pro[s["next"]]))))
    T.append(
        (
            rep,
            _pick(rng, ["Great, thanks {first}!", "Perfect. Talk soon.", "Thanks, appreciate it."]).replace(
                "{first}", L["first"]
            ),
        )
    )
    return [{"speaker": a, "text": b} for a, b in T]


# ----------------------------------------------------------------------------- meeting title
def _meeting_title(rng: np.random.Generator, L: Record, s: Record) -> str:
    co = L["co_spoken"]
    short = re.sub(r"( Inc\.?| LLC| Ltd| Corp| Co\.|,)", "", co).strip()
    first_word = short.split(" ")[0]
    dom = L["company"]["domain"]
    ps = _prod_short(rng, s["prod"])
    forms = [
        f"Telnyx <> {co}",
        f"{short} / Telnyx intro",
        f"Intro call - {co}",
        f"Discovery: {short.upper()}",
        f"{short} x Telnyx | {ps}",
        f"Call with {L['first']} ({short})",
        f"{short.lower()} sync",
        f"Telnyx + {first_word}",
        f"{dom} intro",
        f"[Intro] {short} - {ps}",
        f"{first_word} <> Telnyx",
        f"Meeting: Telnyx and {co}",
    ]
    return _pick(rng, forms)


# ----------------------------------------------------------------------------- opportunity
def _make_opp(rng: np.random.Generator, L: Record, conv_t: dt.datetime, voice: bool) -> Record:
    prod = "voice_ai" if voice else (L["product"] if L["product"] != "voice_ai" else _pick(rng, ["sip", "sms"]))
    name = _pick(
        rng,
        [
            f"{L['company']['name']} - {PROD_NAME[prod]}",
            f"{L['company']['name']} {PROD_NAME[prod]}",
            f"{re.sub(r'( Inc.?| LLC| Ltd| Corp| Co.)$', '', L['company']['name'])} - New Business",
        ],
    )
    age = (END - conv_t).days
    if age < 20:
        stage = _pick(rng, ["Qualification", "Discovery"], [0.6, 0.4])
    elif age < 60:
        stage = _pick(
            rng, ["Discovery", "Proposal", "Negotiation", "Closed Lost", "Closed Won"], [0.3, 0.3, 0.15, 0.1, 0.15]
        )
    else:
        stage = _pick(rng, ["Proposal", "Negotiation", "Closed Won", "Closed Lost"], [0.15, 0.1, 0.4, 0.35])
    close = (conv_t + dt.timedelta(days=int(rng.integers(20, 120)))).date()
    if stage.startswith("Closed"):
        close = min(close, (END - dt.timedelta(days=1)).date())
        close = max(close, conv_t.date())
    amt = None
    if _coin(rng, 0.8):
        base = L["company"]["employees"] * rng.uniform(40, 400) * (1.6 if voice else 1.0)
        amt = float(max(1000, round(base, -2)))
        amt = min(amt, 2_500_000.0)
    return {
        "Name": name,
        "StageName": stage,
        "Voice_AI__c": bool(voice),
        "CreatedDate": _iso(conv_t + dt.timedelta(minutes=int(rng.integers(1, 30)))),
        "CloseDate": close.isoformat(),
        "Amount": amt,
    }


# ----------------------------------------------------------------------------- the world
def generate_world_c(directory: Path, n_leads: int = N_LEADS) -> Path:
    """Write world C (leads.jsonl, calls.jsonl, truth.jsonl) into `directory` and return it; same seed, same bytes."""
    rng = np.random.default_rng(SEED)
    used: set[str] = set()
    used_domains: set[str] = set()
    companies: list[Record] = []
    created = sorted(_sample_created(rng, n_leads))
    leads: list[Record] = []
    for i, ct in enumerate(created):
        # duplicates of companies: ~14 % of leads reuse an earlier company
        if companies and _coin(rng, 0.14):
            comp = companies[int(rng.integers(0, len(companies)))]
            dup = True
        else:
            comp = _make_company(rng, used, used_domains)
            companies.append(comp)
            dup = False
        junk = _coin(rng, 0.05)
        first, last = _pick(rng, FIRST), _pick(rng, LAST)
        if dup and _coin(rng, 0.3) and comp.get("people"):
            first, last = comp["people"][int(rng.integers(0, len(comp["people"])))]  # same person re-submits
        comp.setdefault("people", []).append((first, last))
        ti = int(rng.choice(len(TITLES), p=np.array(TITLE_W) / sum(TITLE_W)))
        title: str | None
        sen: int | None
        title, sen = TITLES[ti]
        if comp["employees"] < 10 and _coin(rng, 0.4):
            title, sen = _pick(rng, [("Owner", 3), ("Office Manager", 2), ("Founder", 3)])
        if junk:
            title, sen = _pick(rng, [("Student", 0), ("Intern", 0), (None, None), ("Consultant", 1)])
        title_vis = None if _coin(rng, 0.18) else title
        source = _pick(rng, SOURCES, SOURCE_W)
        tfrac = (ct - START).total_seconds() / (END - START).total_seconds()
        # product interest (voice AI share rises over the year)
        w = comp["prod_w"].copy()
        w[0] *= 1.0 + 0.8 * tfrac
        if source == "Voice AI Webinar":
            w[0] *= 3.0
        product = PRODUCTS[int(rng.choice(4, p=w / w.sum()))]
        product2 = None
        if _coin(rng, 0.25):
            product2 = _pick(rng, [p for p in PRODUCTS if p != product])
        dm = _coin(rng, SEN_DM[sen])
        intent = 0.6 * comp["cint"] + rng.normal(0, 0.85) + SOURCE_INTENT[source]
        free_mail = (junk and _coin(rng, 0.8)) or _coin(rng, 0.16)
        email_type = "free" if free_mail else ("none" if _coin(rng, 0.04) else "corp")
        L = dict(
            key=f"C{i + 1:05d}",
            created=ct,
            company=comp,
            dup=dup,
            junk=junk,
            first=first,
            last=last,
            title=title_vis,
            seniority=sen,
            source=source,
            product=product,
            product2=product2,
            dm=dm,
            intent=intent,
            email_type=email_type,
            tfrac=tfrac,
        )
        # logit (without intercept)
        z = (
            1.25 * intent
            + 0.75 * comp["fit"]
            + (0.5 if dm else 0.0)
            + SEN_EFF[sen]
            + SOURCE_EFF[source]
            + (-0.45 if email_type == "free" else 0.0)
            + (0.15 if product == "sip" else 0.0)
            + (-0.2 if product == "verify" else 0.0)
            + (0.15 if product2 else 0.0)
            - 0.25 * tfrac
        )
        L["z"] = z
        qv = Q_VOICE[product] + (0.2 if product2 == "voice_ai" else 0.0) + 0.08 * tfrac
        L["q_voice"] = float(min(0.95, max(0.01, qv)))
        leads.append(L)

    # calibrate intercept so that the mean p_progress ~ TARGET_BASE
    zs = np.array([L["z"] for L in leads])
    junkmask = np.array([L["junk"] for L in leads])
    lo, hi = -8.0, 4.0
    for _ in range(60):
        b0 = (lo + hi) / 2
        p = 1 / (1 + np.exp(-(b0 + zs)))
        p[junkmask] = 0.015
        if p.mean() > TARGET_BASE:
            hi = b0
        else:
            lo = b0
    for L, pp in zip(leads, p, strict=True):
        L["p"] = float(pp)
        L["pv"] = float(pp * L["q_voice"])
        L["progressed"] = bool(rng.random() < L["p"])
        L["voice"] = bool(L["progressed"] and rng.random() < L["q_voice"])

    # ---- process timeline (latent-driven, outcome only affects decision delay)
    n_open_newest = round(OPEN_FRAC * n_leads)
    newest_cut = sorted(L["created"] for L in leads)[n_leads - n_open_newest]
    rep_w = np.array([r[4] for r in REPS])
    for L in leads:
        ct = L["created"]
        contact_p = 0.93 if not L["junk"] else 0.45
        if L["source"] == "Content Download":
            contact_p -= 0.15
        L["contacted"] = _coin(rng, contact_p)
        L["contact_t"] = ct + dt.timedelta(hours=float(rng.gamma(1.3, 30))) if L["contacted"] else None
        call_p = _sig(
            -0.35
            + 1.0 * L["intent"]
            + 0.3 * L["company"]["fit"]
            + (0.6 if L["source"] in ("Web - Demo Request", "Web - Contact Sales", "Partner Referral") else 0.0)
            + (-2.5 if L["junk"] else 0.0)
        )
        L["has_call"] = L["contacted"] and _coin(rng, call_p)
        L["call_t"] = None
        if L["has_call"]:
            t = L["contact_t"] + dt.timedelta(days=float(rng.gamma(1.6, 3.0)))
            t = t.replace(
                hour=int(rng.choice([14, 15, 16, 17, 18, 19, 20, 21])),
                minute=int(_pick(rng, [0, 0, 30, 15, 45])),
                second=0,
            )
            if t <= L["contact_t"]:
                t = t + dt.timedelta(days=1)
            L["call_t"] = t
        anchor = L["call_t"] or L["contact_t"] or ct
        median_days = 9 if L["progressed"] else 16  # converted leads are decided faster
        delay = math.exp(rng.normal(math.log(median_days), 0.8 if L["progressed"] else 0.9))
        dtm = anchor + dt.timedelta(days=delay)
        dtm = dtm.replace(
            hour=int(rng.integers(13, 23)), minute=int(rng.integers(0, 60)), second=int(rng.integers(0, 60))
        )
        if dtm <= anchor:
            dtm = anchor + dt.timedelta(hours=2)
        L["decision_t"] = dtm
        L["open"] = (ct >= newest_cut) or (dtm >= END)
        # the call only appears in the data if it happened before the cutoff
        if L["call_t"] is not None and L["call_t"] >= END:
            L["has_call"] = False
            L["call_t"] = None
        # rep assignment (needs to exist on the call date)
        if L["has_call"]:
            avail = np.array([1.0 if r[3] <= L["call_t"] else 0.0 for r in REPS]) * rep_w
            L["rep"] = REPS[int(rng.choice(len(REPS), p=avail / avail.sum()))]

    # ---- write leads / calls / truth
    leads_out, calls_out, truth_out = [], [], []
    for L in leads:
        comp = L["company"]
        co_name = _company_variant(rng, comp["name"]) if L["dup"] else comp["name"]
        if L["junk"] and _coin(rng, 0.5):
            co_name = _pick(rng, ["N/A", "Self", "none", "Personal", f"{L['last']}", "test", "Freelance", "-"])
        L["co_spoken"] = co_name
        if L["email_type"] == "corp":
            email = f"{_pick(rng, ['{f}.{l}', '{f}', '{fi}{l}', '{f}{l}', '{f}_{l}'])}@{comp['domain']}"
        elif L["email_type"] == "free":
            email = f"{_pick(rng, ['{f}.{l}', '{f}{l}', '{f}{l}{n}', '{fi}{l}{n}'])}@{_pick(rng, FREE_MAIL)}"
        else:
            email = None
        if email:
            email = (
                email.replace("{f}", _slug(L["first"]))
                .replace("{l}", _slug(L["last"]))
                .replace("{fi}", _slug(L["first"])[0])
                .replace("{n}", str(int(rng.integers(1, 99))))
            )
        website = None
        if not L["junk"] and _coin(rng, 0.72):
            website = _pick(
                rng,
                [
                    f"https://www.{comp['domain']}",
                    f"www.{comp['domain']}",
                    comp["domain"],
                    f"http://{comp['domain']}",
                    f"https://{comp['domain']}/",
                ],
            )
        country = comp["country"] if _coin(rng, 0.88) else None
        if country in COUNTRY_ALIASES:
            country = _pick(rng, COUNTRY_ALIASES[country])
        emp = comp["employees"] if _coin(rng, 0.62) else None
        if emp is not None and _coin(rng, 0.15):
            emp = (
                int(_pick(rng, [1, 10, 50, 100, 250, 500, 1000, 5000])) if _coin(rng, 0.5) else emp
            )  # coarse form buckets
        rev = round(comp["revenue"], -3) if _coin(rng, 0.3) else None
        industry = comp["industry"] if _coin(rng, 0.78) else None
        if L["junk"]:
            industry = _pick(rng, [None, "Other", "Education"])
            emp = _pick(rng, [None, 1])
            rev = None
        desc = _make_description(rng, L["product"], L["junk"], L["intent"])

        hist = []
        if L["open"]:
            if L["contact_t"] is not None and L["contact_t"] < END:
                status = "Working - Contacted"
                hist.append(
                    {
                        "CreatedDate": _iso(L["contact_t"]),
                        "OldValue": "Open - Not Contacted",
                        "NewValue": "Working - Contacted",
                    }
                )
            else:
                status = "Open - Not Contacted"
        else:
            prev = "Open - Not Contacted"
            if L["contact_t"] is not None and L["contact_t"] < L["decision_t"]:
                hist.append({"CreatedDate": _iso(L["contact_t"]), "OldValue": prev, "NewValue": "Working - Contacted"})
                prev = "Working - Contacted"
            status = "Closed - Converted" if L["progressed"] else "Closed - Not Converted"
            hist.append({"CreatedDate": _iso(L["decision_t"]), "OldValue": prev, "NewValue": status})
        rec = {
            "Key": L["key"],
            "FirstName": L["first"],
            "LastName": L["last"],
            "Company": co_name,
            "Title": L["title"],
            "Email": email,
            "Website": website,
            "Industry": industry,
            "NumberOfEmployees": emp,
            "AnnualRevenue": rev,
            "Country": country,
            "LeadSource": L["source"],
            "Description": desc,
            "CreatedDate": _iso(L["created"]),
            "Status": status,
            "StatusHistory": hist,
        }
        if not L["open"] and L["progressed"]:
            rec["ConvertedDate"] = L["decision_t"].date().isoformat()
            rec["Opportunity"] = _make_opp(rng, L, L["decision_t"], L["voice"])
        leads_out.append(rec)

        # call note
        if L["has_call"]:
            rep_name, rep_email, style, _, _ = L["rep"]
            s = _draw_signals(rng, L)
            v = _rep_view(rng, s, style)
            ctx = _ctx_for(rng, L, v, L["call_t"])
            notes: str | None
            tx: list[dict[str, str]] | None = None
            if style == "terse":
                notes = _notes_terse(rng, L, v, ctx)
            elif style == "recap":
                notes = _notes_recap(rng, L, v, ctx)
            elif style == "bullets":
                notes = _notes_bullets(rng, L, v, ctx)
            elif style == "vague":
                notes = _notes_vague(rng, L, v, ctx) if _coin(rng, 0.85) else None
            elif style == "transcript":
                tx = _transcript(rng, L, s, ctx, rep_name) if _coin(rng, 0.85) else None
                notes = (
                    _notes_short(rng, L, v, ctx)
                    if _coin(rng, 0.6)
                    else (_notes_bullets(rng, L, v, ctx) if tx is None else None)
                )
            else:  # mixed
                notes = _notes_recap(rng, L, v, ctx) if _coin(rng, 0.5) else _notes_bullets(rng, L, v, ctx)
                if _coin(rng, 0.35):
                    tx = _transcript(rng, L, s, ctx, rep_name)
            if _coin(rng, 0.02):
                notes, tx = None, None  # recording failed, no notes
            attendees = []
            pemail = (
                email
                if (email and _coin(rng, 0.85))
                else f"{_slug(L['first'])}.{_slug(L['last'])}@{comp['domain'] if _coin(rng, 0.7) else 'gmail.com'}"
            )
            attendees.append({"email": pemail, "name": f"{L['first']} {L['last']}"})
            if s["stakeholders"]:
                cf, cl = _pick(rng, FIRST), _pick(rng, LAST)
                attendees.append({"email": f"{_slug(cf)}.{_slug(cl)}@{comp['domain']}", "name": f"{cf} {cl}"})
            attendees.append({"email": rep_email, "name": rep_name})
            if (s["next"] in ("pilot", "demo") and _coin(rng, 0.3)) or _coin(rng, 0.08):
                se = _pick(rng, SE)
                attendees.append({"email": se[1], "name": se[0]})
            order = rng.permutation(len(attendees))
            calls_out.append(
                {
                    "id": f"note-{L['key']}",
                    "title": _meeting_title(rng, L, s),
                    "started_at": _iso(L["call_t"]),
                    "attendees": [attendees[j] for j in order],
                    "notes": notes,
                    "transcript": tx,
                }
            )

        truth_out.append(
            {
                "Key": L["key"],
                "p_progress": round(L["p"], 6),
                "p_voice_ai": round(L["pv"], 6),
                "progressed": L["progressed"],
                "voice_ai": L["voice"],
                "decided_at": None if L["open"] else _iso(L["decision_t"]),
            }
        )

    # shuffle lead order deterministically (any order allowed)
    perm = rng.permutation(len(leads_out))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "leads.jsonl").write_text("".join(json.dumps(leads_out[j]) + "\n" for j in perm))
    (directory / "calls.jsonl").write_text("".join(json.dumps(c) + "\n" for c in calls_out))
    (directory / "truth.jsonl").write_text("".join(json.dumps(t) + "\n" for t in truth_out))
    return directory
