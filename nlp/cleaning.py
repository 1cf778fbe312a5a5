"""Length-preserving clean-up of raw notes: markup, junk and over-long input, so offsets stay valid."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCRIPT_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG_RE = re.compile(r"</?(?:br|p|div|li|ul|ol|tr|h[1-6]|table|blockquote|section)\b[^>]{0,200}>", re.I)
_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]{0,300}>|<!--.*?-->", re.DOTALL)
_ENTITY_RE = re.compile(r"&(#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MD_LINK_RE = re.compile(r"\[([^\]\n]{0,200})\]\(([^)\n]{0,500})\)")
_MD_INLINE_RE = re.compile(r"\*\*|__|`+|~~")
_MD_LINE_RE = re.compile(r"^[ \t]{0,3}(?:#{1,6}(?=\s)|>+)", re.MULTILINE)
QUOTE_MARK = "\u2002"  # en space: what a line-opening `>` becomes
_JUNK_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\u200b-\u200f\ufeff]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2022": "-",
        "\r": "\n",
    }
)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " "}
_ENGLISH_WORDS = frozenset(
    (
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "we",
        "they",
        "you",
        "it",
        "is",
        "are",
        "was",
        "were",
        "be",
        "have",
        "has",
        "had",
        "not",
        "no",
        "our",
        "their",
        "this",
        "that",
        "will",
        "would",
        "can",
        "need",
        "needs",
        "want",
        "wants",
        "call",
        "about",
        "from",
        "at",
        "by",
        "as",
        "but",
        "if",
        "so",
        "do",
        "does",
        "did",
    )
)


@dataclass(frozen=True)
class CleanText:
    """Cleaned text (same length as the processed prefix of the input) plus what was done to it."""

    text: str
    truncated: bool
    warnings: tuple[str, ...]


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _blank_md_line(match: re.Match[str]) -> str:
    """Blank a markdown heading or quote marker; a quote marker leaves QUOTE_MARK (whitespace to the tokenizer)
    so speaker attribution can tell a quoted email from the labelled line above it."""
    marker = match.group()
    if marker.endswith(">"):
        return " " * (len(marker) - 1) + QUOTE_MARK
    return " " * len(marker)


def _blank_block(match: re.Match[str]) -> str:
    return "\n" + " " * (len(match.group()) - 1)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#"):
        try:
            char = chr(int(name[2:], 16) if name[1:2] in "xX" else int(name[1:]))
        except (ValueError, OverflowError):
            char = " "
    else:
        char = _ENTITIES.get(name.lower(), " ")
    char = char if char.isprintable() and len(char) == 1 else " "
    return char + " " * (len(match.group()) - 1)


def _md_link(match: re.Match[str]) -> str:
    return " " + match.group(1) + " " * (len(match.group(2)) + 3)


def clean_text(raw: str, max_chars: int) -> CleanText:
    """Cap, de-markup and de-junk `raw` without changing character offsets of the kept prefix."""
    warnings: list[str] = []
    truncated = len(raw) > max_chars
    text = raw
    if truncated:
        cut = raw.rfind(" ", max(0, max_chars - 200), max_chars)
        text = raw[: cut if cut > 0 else max_chars]
        warnings.append(f"text truncated to {len(text)} chars")
    text, junk = _JUNK_RE.subn(" ", text)
    text = text.translate(_TRANSLATE)
    if "<" in text:
        text = _SCRIPT_RE.sub(_blank, text)
        text = _BLOCK_TAG_RE.sub(_blank_block, text)
        text = _TAG_RE.sub(_blank, text)
    if "&" in text:
        text = _ENTITY_RE.sub(_entity, text)
    if "](" in text:
        text = _MD_LINK_RE.sub(_md_link, text)
    if "http" in text or "www." in text or "WWW." in text:
        text = _URL_RE.sub(_blank, text)
    if any(mark in text for mark in ("**", "__", "`", "~~")):
        text = _MD_INLINE_RE.sub(_blank, text)
    if "#" in text or ">" in text:
        text = _MD_LINE_RE.sub(_blank_md_line, text)
    if text and junk > 0.1 * len(text):
        warnings.append("input looks like binary data")
    if text.strip() and not _looks_english(text):
        warnings.append("little English text found")
    return CleanText(text=text, truncated=truncated, warnings=tuple(warnings))


def _looks_english(text: str) -> bool:
    """Cheap check: at least a few common English function words among the first words."""
    words = _WORD_RE.findall(text[:2500].lower())[:300]
    if len(words) < 12:
        return sum(word.isascii() for word in words) >= 0.8 * len(words)
    hits = sum(1 for word in words if word in _ENGLISH_WORDS)
    return hits >= max(1, 0.08 * len(words))
