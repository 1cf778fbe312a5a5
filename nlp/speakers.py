"""Speaker turns: from transcript segments or "Name (Org):" labels in notes, with our-rep vs prospect roles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import IDX
from spacy.tokens import Doc

from nlp.cleaning import QUOTE_MARK

UNKNOWN, PROSPECT, OWN = 0, 1, 2
QUOTED = "(quoted)"  # speaker of a `>`-quoted block inside a labelled turn
_QUOTE_RE = re.compile(rf"(?:\n[ \t]*[>{QUOTE_MARK}][^\n]*)+")
_LABEL_RE = re.compile(
    rf"^[ \t{QUOTE_MARK}]*(?:[-*>+][ \t{QUOTE_MARK}]*)?"
    r"(?:(?:\[?\d{1,2}(?::\d{2}){1,2}\]?|\(\d{1,2}(?::\d{2}){1,2}\)|\d{1,2}(?::\d{2})?\])[ \t]*)?"
    r"(?P<name>[^\W\d_][\w.'&-]*(?:[ \t]+[\w.'&-]+){0,4}?)[ \t]*(?:\((?P<org>[^()\n]{1,60})\))?[ \t]*:(?=\s)",
    re.MULTILINE,
)

_ATTENDEE_RE = re.compile(r"^(?:(?P<name>[^<>@]{1,80}?)\s*<)?(?P<email>[^<>\s@]{1,120}@[^<>\s@]{1,200})>?$")


@dataclass(frozen=True)
class Turn:
    """One speaker's stretch of the document: [start, end) character offsets."""

    start: int
    end: int
    speaker: str
    role: int
    body: int = -1  # where the words start after the "[00:33] Name:" label; -1 when unknown


@dataclass(frozen=True)
class SpeakerConfig:
    """Role vocabulary from speakers.yaml plus our own company names."""

    own_roles: frozenset[str]
    prospect_roles: frozenset[str]
    heading_words: frozenset[str]
    own_names: frozenset[str]

    @classmethod
    def from_lexicon(cls, speakers: dict[str, Any], own_names: tuple[str, ...]) -> SpeakerConfig:
        """Build the config from the speakers.yaml mapping."""

        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).lower() for w in speakers.get(key, ()))

        return cls(
            words("own_roles"),
            words("prospect_roles"),
            words("heading_words"),
            frozenset(n.lower() for n in own_names),
        )

    def role_of(self, name: str, org: str | None, own_people: frozenset[str] = frozenset()) -> int | None:
        """Role implied by a label, UNKNOWN for a person's name, or None when it is not a speaker label.

        `own_people` holds lower-case names of our side for this call (reps from config, attendees with our own
        domains, the meeting owner): a label naming one of them, in full or by first name alone, is our rep.
        """
        low = name.lower().strip()
        org_low = (org or "").lower()
        if low in self.own_roles or any(own in org_low for own in self.own_names) or is_own_person(low, own_people):
            return OWN
        if low in self.prospect_roles:
            return PROSPECT
        tokens = re.findall(r"[a-z]+", low)
        if not tokens or any(t in self.heading_words for t in tokens):
            return None
        if any(own in low for own in self.own_names):
            return OWN
        if org:
            return PROSPECT
        return UNKNOWN if all(w[:1].isupper() for w in name.split()) and len(tokens) <= 4 else None


def is_own_person(name: str, own_people: frozenset[str]) -> bool:
    """A lower-case speaker name is one of our people: the full name, or a first name only one of them has."""
    if not own_people or not name:
        return False
    if name in own_people:
        return True
    if " " in name:
        return False
    firsts = [person.split()[0] for person in own_people if " " in person]
    return firsts.count(name) == 1


def people_from_attendees(attendees: Iterable[str], own_domains: Iterable[str]) -> frozenset[str]:
    """Lower-case names of attendees on our own domains: "Chris Wu <chris.wu@telnyx.com>" or "chris.wu@telnyx.com"."""
    domains = tuple(d.lower().lstrip("@") for d in own_domains)
    names: set[str] = set()
    for attendee in attendees:
        match = _ATTENDEE_RE.match(str(attendee).strip())
        if not match:
            continue
        email = match.group("email").lower()
        host = email.rpartition("@")[2]
        if not any(host == d or host.endswith("." + d) for d in domains):
            continue
        display = (match.group("name") or "").strip().strip('"').lower()
        local = " ".join(w for w in re.split(r"[._+-]+", email.partition("@")[0]) if w.isalpha())
        names.update(n for n in (display, local) if n)
    return frozenset(names)


def find_labels(
    text: str, config: SpeakerConfig, own_people: frozenset[str] = frozenset()
) -> list[tuple[int, int, str, int]]:
    """Every speaker label in the notes: (line start, where the words begin, speaker, role)."""
    found: list[tuple[int, int, str, int]] = []
    for match in _label_matches(text):
        name, org = match.group("name").strip(), match.group("org")
        role = config.role_of(name, org, own_people)
        if role is not None:
            speaker = f"{name} ({org.strip()})" if org else name
            found.append((match.start(), match.end(), speaker, role))
    return found


def label_turns(
    text: str,
    config: SpeakerConfig,
    own_people: frozenset[str] = frozenset(),
    found: list[tuple[int, int, str, int]] | None = None,
) -> list[Turn]:
    """Find speaker-labelled turns in free-text notes; person names need at least two labelled lines."""
    if found is None:
        found = find_labels(text, config, own_people)
    if len(found) < 2 and not any(role != UNKNOWN for *_, role in found):
        return []
    ends = [start for start, *_ in found[1:]] + [len(text)]
    turns = [
        Turn(start, end, speaker, role, body) for (start, body, speaker, role), end in zip(found, ends, strict=True)
    ]
    if QUOTE_MARK in text or "\n>" in text:
        turns = [part for turn in turns for part in _split_quotes(text, turn)]
    return turns


def _split_quotes(text: str, turn: Turn) -> Iterator[Turn]:
    """A block of `>`-quoted lines under a label ("Rep: polite no." then "> Thanks, but we've decided...") is
    someone else's email, not the labelled speaker's words: it becomes an unattributed turn."""
    first_line_end = text.find("\n", turn.start, turn.end)
    if first_line_end < 0 or text[turn.start : first_line_end].lstrip(" \t").startswith((">", QUOTE_MARK)):
        yield turn
        return
    pos = turn.start
    for match in _QUOTE_RE.finditer(text, first_line_end, turn.end):
        start, end = match.start() + 1, min(match.end(), turn.end)
        if start > pos:
            yield Turn(pos, start, turn.speaker, turn.role, turn.body if pos == turn.start else -1)
        yield Turn(start, end, QUOTED, UNKNOWN)
        pos = end
    if pos < turn.end:
        yield Turn(pos, turn.end, turn.speaker, turn.role, turn.body if pos == turn.start else -1)


def _label_matches(text: str) -> Iterator[re.Match[str]]:
    """Same matches as `_LABEL_RE.finditer(text)`, trying only the starts of lines that contain a colon."""
    colon = text.find(":")
    while colon >= 0:
        line_start = text.rfind("\n", 0, colon) + 1
        match = _LABEL_RE.match(text, line_start)
        if match:
            yield match
        line_end = text.find("\n", colon)
        if line_end < 0:
            return
        colon = text.find(":", line_end)


def segment_turns(
    spans: list[tuple[int, int, str]], config: SpeakerConfig, own_people: frozenset[str] = frozenset()
) -> list[Turn]:
    """Turns for transcript segments rendered into the document at the given character spans."""
    turns = []
    for start, end, speaker in spans:
        match = re.match(r"\s*(?P<name>[^()]*?)\s*(?:\((?P<org>[^()]*)\))?\s*$", speaker)
        name, org = (match.group("name"), match.group("org")) if match else (speaker, None)
        role = config.role_of(name, org, own_people) if name else UNKNOWN
        body = start + len(speaker) + 2  # transcripts.render_document writes "Speaker: words"
        turns.append(Turn(start, end, speaker, UNKNOWN if role is None else role, body))
    return turns


def resolve_roles(turns: list[Turn], self_id_chars: list[int]) -> list[Turn]:
    """Mark named speakers who introduce themselves as us as OWN; then others become PROSPECT."""
    own_speakers = {t.speaker for t in turns if t.role == OWN}
    for turn in turns:
        if turn.role == UNKNOWN and any(turn.start <= pos < turn.end for pos in self_id_chars):
            own_speakers.add(turn.speaker)
    if not own_speakers:
        return turns
    return [
        Turn(t.start, t.end, t.speaker, OWN if t.speaker in own_speakers else (t.role or PROSPECT), t.body)
        for t in turns
    ]


def token_turn_index(doc: Doc, turns: list[Turn]) -> np.ndarray:
    """Index into `turns` for every token of `doc` (-1 outside any turn)."""
    index = np.full(len(doc), -1, dtype=np.int32)
    if not turns or not len(doc):
        return index
    idx = doc.to_array([IDX]).astype(np.int64).ravel()
    for i, turn in enumerate(turns):
        lo, hi = np.searchsorted(idx, [turn.start, turn.end])
        index[lo:hi] = i
    return index
