"""Read an HTML page with the standard library parser into the parts signal extraction needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")
_SKIP_TEXT = {"script", "style", "noscript", "template", "svg"}
_MAX_INLINE_SCRIPT = 200_000


@dataclass(slots=True)
class PageParts:
    """Visible text, metadata and resource references of one page."""

    title: str = ""
    meta_description: str = ""
    text: str = ""
    paragraphs: list[str] = field(default_factory=list)
    script_sources: list[str] = field(default_factory=list)
    inline_scripts: str = ""
    links: list[str] = field(default_factory=list)
    link_texts: list[str] = field(default_factory=list)
    iframes: list[str] = field(default_factory=list)
    input_types: set[str] = field(default_factory=set)

    @property
    def markup_refs(self) -> str:
        """Script sources, iframes, links and inline script text joined for tech-stack matching."""
        return "\n".join([*self.script_sources, *self.iframes, *self.links, self.inline_scripts]).lower()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts = PageParts()
        self._stack: list[str] = []
        self._text: list[str] = []
        self._inline: list[str] = []
        self._inline_size = 0
        self._paragraph: list[str] | None = None
        self._anchor: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "script" and values.get("src"):
            self.parts.script_sources.append(values["src"])
        elif tag == "iframe" and values.get("src"):
            self.parts.iframes.append(values["src"])
        elif tag in ("a", "link") and values.get("href"):
            self.parts.links.append(values["href"])
            if tag == "a":
                self._anchor = []
        elif tag == "input":
            self.parts.input_types.add(values.get("type", "text").lower())
        elif tag == "meta":
            self._meta(values)
        elif tag == "title":
            self._in_title = True
        elif tag == "p":
            self._paragraph = []
        if tag not in ("input", "meta", "link", "br", "img", "hr"):
            self._stack.append(tag)

    def _meta(self, values: dict[str, str]) -> None:
        key = (values.get("name") or values.get("property") or "").lower()
        if key in ("description", "og:description") and not self.parts.meta_description:
            self.parts.meta_description = _SPACE.sub(" ", values.get("content", "")).strip()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        if tag == "title":
            self._in_title = False
        elif tag == "p" and self._paragraph is not None:
            paragraph = _SPACE.sub(" ", " ".join(self._paragraph)).strip()
            if paragraph:
                self.parts.paragraphs.append(paragraph)
            self._paragraph = None
        elif tag == "a" and self._anchor is not None:
            self.parts.link_texts.append(_SPACE.sub(" ", " ".join(self._anchor)).strip())
            self._anchor = None

    def handle_data(self, data: str) -> None:
        current = self._stack[-1] if self._stack else ""
        if current == "script":
            if self._inline_size < _MAX_INLINE_SCRIPT:
                self._inline.append(data[: _MAX_INLINE_SCRIPT - self._inline_size])
                self._inline_size += len(data)
            return
        if self._in_title:
            self.parts.title += data
            return
        if _SKIP_TEXT.intersection(self._stack):
            return
        self._text.append(data)
        if self._paragraph is not None:
            self._paragraph.append(data)
        if self._anchor is not None:
            self._anchor.append(data)

    def finish(self) -> PageParts:
        self.parts.title = _SPACE.sub(" ", self.parts.title).strip()
        self.parts.text = _SPACE.sub(" ", " ".join(self._text)).strip()
        self.parts.inline_scripts = "\n".join(self._inline)
        return self.parts


def read_html(html: str) -> PageParts:
    """Parse HTML leniently (broken markup never raises) into `PageParts`."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.finish()
