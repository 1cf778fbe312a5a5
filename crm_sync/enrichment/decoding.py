"""Turn response bytes into text: the charset from the header, then from a meta tag, then UTF-8, then cp1252."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9_\-:.]+)", re.IGNORECASE)


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def decode_body(body: bytes, content_type: str) -> str:
    """Decode a page body using the declared charset when valid, else UTF-8, else Windows-1252 (never fails)."""
    header = _HEADER_CHARSET.search(content_type)
    meta = _META_CHARSET.search(body[:4096])
    declared = [_known(header.group(1) if header else None), _known(meta.group(1).decode() if meta else None)]
    for encoding in [*(name for name in declared if name), "utf-8"]:
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("cp1252", errors="replace")
