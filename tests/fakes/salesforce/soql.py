"""A small SOQL parser: SELECT list (fields, parent.field, COUNT()), FROM, WHERE with AND/OR/NOT,
comparisons, IN / NOT IN, LIKE, ORDER BY (ASC/DESC, NULLS FIRST/LAST), LIMIT and OFFSET.

Datetime literals are unquoted (2024-01-01T00:00:00Z, up to millisecond precision) as in real SOQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.salesforce.errors import malformed_query

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>'(?:\\.|[^'\\])*')
  | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2}))
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op><=|>=|!=|<>|=|<|>)
  | (?P<punct>[(),])
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {
    "SELECT",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "IN",
    "LIKE",
    "ORDER",
    "BY",
    "ASC",
    "DESC",
    "NULLS",
    "FIRST",
    "LAST",
    "LIMIT",
    "OFFSET",
    "TRUE",
    "FALSE",
    "NULL",
    "COUNT",
}


@dataclass(frozen=True)
class Literal:
    """A value in a WHERE clause: kind is string, datetime, date, number, boolean or null."""

    kind: str
    value: Any


@dataclass(frozen=True)
class Comparison:
    """`field op literal`, where op is one of = != < <= > >= LIKE."""

    field: str
    op: str
    literal: Literal


@dataclass(frozen=True)
class InList:
    """`field [NOT] IN (literal, ...)`."""

    field: str
    literals: tuple[Literal, ...]
    negated: bool = False


@dataclass(frozen=True)
class BoolOp:
    """AND / OR over sub-conditions, or NOT over one."""

    op: str
    parts: tuple[Any, ...]


@dataclass(frozen=True)
class OrderKey:
    """One ORDER BY key; Salesforce puts nulls first for ASC and last for DESC unless told."""

    field: str
    descending: bool = False
    nulls_last: bool = False


@dataclass
class Query:
    """A parsed SOQL statement."""

    sobject: str
    fields: list[str]
    count_only: bool = False
    where: Any = None
    order: list[OrderKey] = field(default_factory=list)
    limit: int | None = None
    offset: int = 0


def tokenize(text: str) -> list[tuple[str, str]]:
    """(kind, text) tokens; keywords are upper-cased kind "kw"."""
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise malformed_query(f"unexpected token: '{text[pos : pos + 20]}'")
        pos = match.end()
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "ws":
            continue
        if kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "kw", value.upper()
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self, offset: int = 0) -> tuple[str, str]:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else ("eof", "")

    def next(self) -> tuple[str, str]:
        token = self.peek()
        self.pos += 1
        return token

    def accept_kw(self, *words: str) -> bool:
        if self.peek()[0] == "kw" and self.peek()[1] in words:
            self.pos += 1
            return True
        return False

    def expect(self, kind: str, value: str | None = None) -> str:
        got_kind, got = self.next()
        if got_kind != kind or (value is not None and got != value):
            raise malformed_query(f"unexpected token: '{got or 'end of query'}'")
        return got

    def query(self) -> Query:
        self.expect("kw", "SELECT")
        fields, count_only = self.select_list()
        self.expect("kw", "FROM")
        query = Query(sobject=self.expect("word"), fields=fields, count_only=count_only)
        if self.accept_kw("WHERE"):
            query.where = self.or_expr()
        if self.accept_kw("ORDER"):
            self.expect("kw", "BY")
            query.order = self.order_keys()
        if self.accept_kw("LIMIT"):
            query.limit = int(self.expect("number"))
        if self.accept_kw("OFFSET"):
            query.offset = int(self.expect("number"))
        if self.peek()[0] != "eof":
            raise malformed_query(f"unexpected token: '{self.peek()[1]}'")
        return query

    def select_list(self) -> tuple[list[str], bool]:
        if self.accept_kw("COUNT"):
            self.expect("punct", "(")
            self.expect("punct", ")")
            return [], True
        fields = [self.expect("word")]
        while self.peek() == ("punct", ","):
            self.next()
            fields.append(self.expect("word"))
        return fields, False

    def or_expr(self) -> Any:
        parts = [self.and_expr()]
        while self.accept_kw("OR"):
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else BoolOp("OR", tuple(parts))

    def and_expr(self) -> Any:
        parts = [self.not_expr()]
        while self.accept_kw("AND"):
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else BoolOp("AND", tuple(parts))

    def not_expr(self) -> Any:
        if self.accept_kw("NOT"):
            return BoolOp("NOT", (self.not_expr(),))
        if self.peek() == ("punct", "("):
            self.next()
            inner = self.or_expr()
            self.expect("punct", ")")
            return inner
        return self.condition()

    def condition(self) -> Any:
        name = self.expect("word")
        if self.accept_kw("NOT"):
            self.expect("kw", "IN")
            return InList(name, self.literal_list(), negated=True)
        if self.accept_kw("IN"):
            return InList(name, self.literal_list())
        if self.accept_kw("LIKE"):
            literal = self.literal()
            if literal.kind != "string":
                raise malformed_query("LIKE needs a quoted string")
            return Comparison(name, "LIKE", literal)
        op = self.expect("op")
        return Comparison(name, "!=" if op == "<>" else op, self.literal())

    def literal_list(self) -> tuple[Literal, ...]:
        self.expect("punct", "(")
        items = [self.literal()]
        while self.peek() == ("punct", ","):
            self.next()
            items.append(self.literal())
        self.expect("punct", ")")
        return tuple(items)

    def literal(self) -> Literal:
        kind, text = self.next()
        if kind == "string":
            return Literal("string", re.sub(r"\\(.)", r"\1", text[1:-1]))
        if kind in ("datetime", "date"):
            return Literal(kind, text)
        if kind == "number":
            return Literal("number", float(text) if "." in text else int(text))
        if kind == "kw" and text in ("TRUE", "FALSE"):
            return Literal("boolean", text == "TRUE")
        if kind == "kw" and text == "NULL":
            return Literal("null", None)
        raise malformed_query(f"unexpected token: '{text or 'end of query'}'")

    def order_keys(self) -> list[OrderKey]:
        keys = [self.order_key()]
        while self.peek() == ("punct", ","):
            self.next()
            keys.append(self.order_key())
        return keys

    def order_key(self) -> OrderKey:
        name = self.expect("word")
        descending = self.accept_kw("DESC")
        if not descending:
            self.accept_kw("ASC")
        nulls_last = descending
        if self.accept_kw("NULLS"):
            nulls_last = self.accept_kw("LAST")
            if not nulls_last:
                self.expect("kw", "FIRST")
        return OrderKey(name, descending, nulls_last)


def parse(text: str) -> Query:
    """Parse one SOQL statement or raise MALFORMED_QUERY."""
    return _Parser(text).query()
