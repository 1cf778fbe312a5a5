"""SignalExtractor: cleans input, runs the pipeline (one per process) and assembles CallSignals."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import structlog
from spacy.tokens import Doc

from nlp.analysis import Analysis
from nlp.cleaning import CleanText, clean_text
from nlp.domain import PRODUCT_SIGNALS, URGENCY_LEVELS, CallSignals, Evidence
from nlp.evidence import MAX_QUOTE, QuoteIndex, best_mention, evidence_for
from nlp.lexicon import DATA_DIR
from nlp.pipeline import build_pipeline, cached_lexicon
from nlp.quantities import VolumeFinder
from nlp.speakers import OWN, people_from_attendees
from nlp.transcripts import render_document

log = structlog.get_logger(__name__)

DEFAULT_MAX_CHARS = 60_000
TITLE_SIGNALS = (*PRODUCT_SIGNALS, "trial_or_poc", "existing_customer")
TITLE_SPEAKER = "(meeting title)"


class SignalExtractor:
    """Reads call notes/transcripts into CallSignals; build once and reuse (the pipeline is costly to build)."""

    def __init__(
        self,
        own_company_names: Sequence[str] = ("Telnyx",),
        own_domains: Sequence[str] = ("telnyx.com",),
        max_chars: int = DEFAULT_MAX_CHARS,
        lexicon_dir: Path = DATA_DIR,
        rep_names: Sequence[str] = (),
    ) -> None:
        if max_chars < 1:
            raise ValueError("max_chars must be positive")
        self.own_company_names = tuple(own_company_names)
        self.own_domains = tuple(own_domains)
        self.max_chars = max_chars
        self.lexicon_dir = lexicon_dir
        self.rep_names = frozenset(" ".join(n.lower().split()) for n in rep_names if n.strip())
        own = tuple(dict.fromkeys((*self.own_company_names, *(d.split(".")[0] for d in self.own_domains))))
        self.nlp = build_pipeline(own, lexicon_dir)
        self.volumes = VolumeFinder(cached_lexicon(str(lexicon_dir)).units)

    def extract(
        self,
        text: str,
        title: str | None = None,
        *,
        transcript: list[dict] | None = None,
        attendees: Sequence[str] = (),
        owner: str | None = None,
    ) -> CallSignals:
        """Signals for one call: notes `text`, optional meeting `title` and transcript segments.

        Speakers named like our reps (config), like `attendees` on our own domains, or like the meeting `owner`
        are our side: their words are not the prospect's unless they report what the prospect said.
        """
        return self._run([(text, title, transcript)], own_people=self.own_people(attendees, owner))[0]

    def own_people(self, attendees: Sequence[str] = (), owner: str | None = None) -> frozenset[str]:
        """Lower-case names of our side on one call: configured reps, own-domain attendees, the meeting owner."""
        people = set(self.rep_names) | people_from_attendees(attendees or (), self.own_domains)
        if owner and owner.strip():
            people |= people_from_attendees([owner], self.own_domains) if "@" in owner else {owner.lower().strip()}
        return frozenset(people)

    def extract_many(self, texts: Iterable[str], batch_size: int = 32) -> list[CallSignals]:
        """Signals for many notes, streamed through `nlp.pipe` for throughput; output keeps input order."""
        return self._run([(text, None, None) for text in texts], batch_size=batch_size, own_people=self.rep_names)

    def _run(
        self,
        items: list[tuple[str, str | None, list[dict] | None]],
        batch_size: int = 32,
        own_people: frozenset[str] = frozenset(),
    ) -> list[CallSignals]:
        """Stream documents through `nlp.pipe`, assembling each as it comes out (few live Docs, little GC work)."""
        pending: deque[CleanText] = deque()

        def docs() -> Iterator[Doc]:
            for text, _title, transcript in items:
                document, spans = render_document(text if isinstance(text, str) else "", transcript)
                cleaned = clean_text(document, self.max_chars)
                doc = self.nlp.make_doc(cleaned.text)
                if own_people:
                    doc.user_data["own_people"] = own_people
                if spans is not None:
                    doc.user_data["segment_spans"] = [s for s in spans if s[0] < len(cleaned.text)]
                    doc.user_data["is_transcript"] = True
                pending.append(cleaned)
                yield doc

        processed = self.nlp.pipe(docs(), batch_size=batch_size)
        return [
            self._assemble(doc, pending.popleft(), title) for doc, (_, title, _) in zip(processed, items, strict=True)
        ]

    def _assemble(self, doc: Doc, cleaned: CleanText, title: str | None) -> CallSignals:
        analysis: Analysis = doc._.call_analysis
        turns = doc._.call_turns or []
        text = cleaned.text
        index = QuoteIndex(doc, text, turns)
        evidence: list[Evidence] = []
        flags: dict[str, bool] = {}
        for name, mentions in analysis.signals.items():
            if mentions:
                flags[name] = True
                evidence.append(evidence_for(name, best_mention(mentions), index))
        if title:
            evidence.extend(self._title_evidence(title, flags))
        urgency = None
        if analysis.urgency:
            level, mention = min(analysis.urgency, key=lambda item: (URGENCY_LEVELS.index(item[0]), item[1].start))
            urgency = level
            evidence.append(evidence_for("urgency", mention, index))
        for mentions in analysis.competitors.values():
            evidence.append(evidence_for("competitor", best_mention(mentions), index))
        volume, unit = self._volume(doc, text, turns, evidence)
        evidence.sort(key=lambda e: (e.start, e.signal))
        warnings = list(cleaned.warnings)
        if doc.user_data.get("segment_spans") is not None and analysis.prospect_talk_ratio is None:
            warnings.append("speaker roles unknown: no talk ratio")
        return CallSignals(
            **flags,
            urgency=urgency,
            competitors=tuple(sorted(analysis.competitors)),
            volume_per_month=volume,
            volume_unit=unit,
            sentiment=round(analysis.sentiment, 4),
            prospect_talk_ratio=analysis.prospect_talk_ratio,
            evidence=tuple(evidence),
            truncated=cleaned.truncated,
            chars_processed=len(cleaned.text),
            warnings=tuple(warnings),
        )

    def _title_evidence(self, title: str, flags: dict[str, bool]) -> list[Evidence]:
        """Product/trial/existing-customer cues in the meeting title count when the notes did not show them."""
        cleaned = clean_text(title[:500], 500)
        analysis: Analysis = self.nlp(cleaned.text)._.call_analysis
        out = []
        for name in TITLE_SIGNALS:
            if analysis.signals.get(name) and not flags.get(name):
                flags[name] = True
                quote = _squash(cleaned.text)
                if len(quote) > MAX_QUOTE:
                    quote = quote[: MAX_QUOTE + 1].rsplit(" ", 1)[0][:MAX_QUOTE]
                out.append(Evidence(name, quote, 0, len(cleaned.text), TITLE_SPEAKER, quote))
        return out

    def _volume(self, doc: Doc, text: str, turns: list, evidence: list[Evidence]) -> tuple[float | None, str | None]:
        """The first prospect-side stated volume, preferring per-period rates over inventory counts."""
        candidates = []
        for vol in self.volumes.find(text):
            span = doc.char_span(vol.start, vol.end, alignment_mode="expand")
            if span is None:
                continue
            t = int(doc._.call_turn_index[span.start]) if len(doc) else -1
            if t >= 0 and turns[t].role == OWN:
                continue
            candidates.append((not vol.has_period, vol.start, vol))
        if not candidates:
            return None, None
        vol = min(candidates, key=lambda c: (c[0], c[1]))[2]
        stated = _squash(text[vol.start : vol.end])
        evidence.append(Evidence("volume", stated, vol.start, vol.end, None, stated))
        return round(vol.per_month, 2), vol.unit


def _squash(text: str) -> str:
    return " ".join(text.split())


_DEFAULT: SignalExtractor | None = None
_LOCK = threading.Lock()


def default_extractor() -> SignalExtractor:
    """The process-wide extractor, built lazily and exactly once even under concurrent first calls."""
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                log.info("nlp.pipeline.build")
                _DEFAULT = SignalExtractor()
    return _DEFAULT


def extract_signals(
    text: str,
    title: str | None = None,
    *,
    transcript: list[dict[str, Any]] | None = None,
    attendees: Sequence[str] = (),
) -> CallSignals:
    """Signals for one call using the shared process-wide pipeline."""
    return default_extractor().extract(text, title, transcript=transcript, attendees=attendees)
