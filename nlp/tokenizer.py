"""A fast, text-preserving tokenizer for call notes, built on spaCy's cached Cython tokenizer.

Tokens are defined once by `TOKEN` (clitics split, numbers kept whole, every symbol its own token). spaCy's
Tokenizer splits on whitespace, caches each chunk's tokens and peels tokens off a chunk with `TOKEN` as
its only prefix rule, which reproduces `split_words` exactly (a test checks this) at a fraction of the cost.
"""

from __future__ import annotations

import re

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Order matters: clitic-splitting first ("isn't" -> "is", "n't"), then clitics, words/numbers, then any symbol.
# Each match is a token with at most one trailing space, or a whitespace run that becomes its own token.
TOKEN = r"\w+(?=n't\b)|n't\b|'(?:s|re|ve|ll|d|m)\b|\d+(?:[.,]\d+)*\w*|\w+|[^\w\s]"
TOKEN_RE = re.compile(TOKEN, re.IGNORECASE)
_SPLIT_RE = re.compile(rf"({TOKEN})( )?|(\s+)", re.IGNORECASE)


def split_words(text: str) -> tuple[list[str], list[bool]]:
    """Split `text` into spaCy words/spaces so that the Doc text equals `text` exactly (whitespace runs kept).

    The reference definition of a token: lexicon phrases are split with it, notes by `NoteTokenizer`.
    """
    parts = _SPLIT_RE.findall(text)
    return [tok or ws for tok, _, ws in parts], [sp == " " for _, sp, _ in parts]


class NoteTokenizer(Tokenizer):
    """spaCy Tokenizer whose only rule is `TOKEN` as a prefix; keeps the input in `doc.user_data["text"]`."""

    def __init__(self, vocab: Vocab) -> None:
        super().__init__(vocab, prefix_search=TOKEN_RE.match)

    def __call__(self, text: str) -> Doc:
        """Tokenize `text` into a Doc whose `.text` is identical to the input."""
        doc = super().__call__(text)
        doc.user_data["text"] = text
        return doc
