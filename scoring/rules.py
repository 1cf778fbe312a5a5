"""Declarative rule overrides (config/rules.yaml), compiled to vectorised conditions over the feature matrix.

A rule is ``{id, when, effect, value, reason}``. ``when`` is a leaf ``{feature, is: true|false}``,
``{feature, op, value}`` (ops ``== != > >= < <= in not_in``) or ``{feature, missing: true|false}``, or a
combination ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``. A missing value never satisfies ``is`` or a
comparison; test it with ``missing``. Effects: ``floor_score`` / ``cap_score`` (0-100; caps are applied after
floors, so a cap always wins), ``set_recommendation`` and ``set_priority`` (the first matching rule in file
order wins). Any problem fails at load with the rule id.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from scoring.config import DEFAULT_RULES_PATH, ConfigError, read_yaml
from scoring.domain import Priority, Recommendation
from scoring.features import FEATURE_INDEX, SPECS

Effect = Literal["set_recommendation", "floor_score", "cap_score", "set_priority"]
Condition = Callable[[np.ndarray], np.ndarray]

_COMPARISONS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
_EFFECTS = ("set_recommendation", "floor_score", "cap_score", "set_priority")
_RULE_KEYS = {"id", "when", "effect", "value", "reason", "description"}


class RuleError(ConfigError):
    """A rule in rules.yaml is invalid; the message names the rule id and the problem."""


@dataclass(frozen=True)
class Rule:
    """One compiled rule override."""

    id: str
    effect: Effect
    value: int | Recommendation | Priority
    reason: str
    condition: Condition

    @property
    def effect_text(self) -> str:
        """Effect and value as shown in `rules_fired` (e.g. ``cap_score 25``)."""
        return f"{self.effect} {self.value}"

    def matches(self, matrix: np.ndarray) -> np.ndarray:
        """Boolean mask of the rows (of a registry matrix) this rule fires for."""
        return self.condition(matrix)


@dataclass(frozen=True)
class RuleSet:
    """The ordered rules; immutable so a scorer holding it can be shared across threads."""

    rules: tuple[Rule, ...]

    def evaluate(self, matrix: np.ndarray) -> np.ndarray:
        """(n_rows, n_rules) boolean matrix of which rules fire for which rows."""
        if not self.rules:
            return np.zeros((matrix.shape[0], 0), dtype=bool)
        return np.column_stack([rule.matches(matrix) for rule in self.rules])


def _leaf(rule_id: str, node: Mapping[str, Any]) -> Condition:
    feature = node.get("feature")
    spec = SPECS.get(str(feature))
    if spec is None:
        raise RuleError(f"rule {rule_id!r}: unknown feature {feature!r}")
    j = FEATURE_INDEX[spec.name]
    keys = set(node) - {"feature"}
    if keys == {"missing"}:
        want = _bool(rule_id, node["missing"], "missing")
        return lambda m: np.isnan(m[:, j]) == want
    if keys == {"is"}:
        if spec.kind != "bool":
            raise RuleError(f"rule {rule_id!r}: 'is' needs a true/false feature, {feature!r} is {spec.kind}")
        target = 1.0 if _bool(rule_id, node["is"], "is") else 0.0
        return lambda m: m[:, j] == target
    if keys != {"op", "value"}:
        raise RuleError(f"rule {rule_id!r}: condition on {feature!r} needs 'is', 'missing' or 'op' + 'value'")
    op, value = node["op"], node["value"]
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            raise RuleError(f"rule {rule_id!r}: {op!r} needs a non-empty list value")
        codes = np.array([_operand(rule_id, spec.name, item) for item in value])
        return (
            (lambda m: np.isin(m[:, j], codes))
            if op == "in"
            else (lambda m: ~np.isin(m[:, j], codes) & ~np.isnan(m[:, j]))
        )
    if op not in _COMPARISONS:
        raise RuleError(f"rule {rule_id!r}: unknown op {op!r}; use one of {[*_COMPARISONS, 'in', 'not_in']}")
    if spec.kind == "category" and op not in ("==", "!="):
        raise RuleError(f"rule {rule_id!r}: categorical feature {feature!r} only supports ==, !=, in, not_in")
    operand, compare = _operand(rule_id, spec.name, value), _COMPARISONS[op]
    return lambda m: compare(m[:, j], operand) & ~np.isnan(m[:, j])


def _operand(rule_id: str, feature: str, value: object) -> float:
    spec = SPECS[feature]
    if spec.kind == "category":
        if value not in spec.levels:
            raise RuleError(f"rule {rule_id!r}: {value!r} is not a level of {feature!r} {list(spec.levels)}")
        return float(spec.levels.index(str(value)))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"rule {rule_id!r}: {feature!r} compares to numbers, got {value!r}")
    return float(value)


def _bool(rule_id: str, value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise RuleError(f"rule {rule_id!r}: {key!r} must be true or false, got {value!r}")
    return value


def _compile(rule_id: str, node: object) -> Condition:
    if not isinstance(node, Mapping) or not node:
        raise RuleError(f"rule {rule_id!r}: a condition must be a mapping, got {node!r}")
    if len(node) == 1 and next(iter(node)) in ("all", "any"):
        key, items = next(iter(node.items()))
        if not isinstance(items, list) or not items:
            raise RuleError(f"rule {rule_id!r}: {key!r} needs a non-empty list of conditions")
        parts = [_compile(rule_id, item) for item in items]
        combine = np.logical_and if key == "all" else np.logical_or
        return lambda m: combine.reduce([part(m) for part in parts])
    if len(node) == 1 and "not" in node:
        inner = _compile(rule_id, node["not"])
        return lambda m: ~inner(m)
    if "feature" in node:
        return _leaf(rule_id, node)
    raise RuleError(f"rule {rule_id!r}: condition keys {sorted(node)} are not all/any/not or a feature test")


def _effect_value(rule_id: str, effect: object, value: object) -> int | Recommendation | Priority:
    if effect not in _EFFECTS:
        raise RuleError(f"rule {rule_id!r}: unknown effect {effect!r}; use one of {list(_EFFECTS)}")
    if effect in ("floor_score", "cap_score"):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise RuleError(f"rule {rule_id!r}: {effect} needs an integer score 0-100, got {value!r}")
        return value
    enum = Recommendation if effect == "set_recommendation" else Priority
    members: dict[str, Recommendation | Priority] = {member.value: member for member in enum}
    if isinstance(value, str) and value in members:
        return members[value]
    raise RuleError(f"rule {rule_id!r}: {value!r} is not one of {list(members)}")


def parse_rules(data: object) -> RuleSet:
    """Validate and compile the ``rules:`` document (already parsed from YAML)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise RuleError("rules file must be a mapping with a 'rules:' list")
    compiled: list[Rule] = []
    for position, entry in enumerate(data["rules"], start=1):
        rule_id = entry.get("id") if isinstance(entry, Mapping) else None
        if not isinstance(rule_id, str) or not rule_id.strip():
            raise RuleError(f"rule #{position}: every rule needs a non-empty string 'id'")
        unknown = set(entry) - _RULE_KEYS
        if unknown:
            raise RuleError(f"rule {rule_id!r}: unknown keys {sorted(unknown)}")
        if any(rule.id == rule_id for rule in compiled):
            raise RuleError(f"rule {rule_id!r}: duplicate id")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise RuleError(f"rule {rule_id!r}: needs a 'reason' sentence shown to sales")
        if "when" not in entry:
            raise RuleError(f"rule {rule_id!r}: needs a 'when' condition")
        compiled.append(
            Rule(
                id=rule_id,
                effect=entry.get("effect"),
                value=_effect_value(rule_id, entry.get("effect"), entry.get("value")),
                reason=reason.strip(),
                condition=_compile(rule_id, entry["when"]),
            )
        )
    return RuleSet(tuple(compiled))


def load_rules(path: str | Path = DEFAULT_RULES_PATH) -> RuleSet:
    """Load config/rules.yaml; RuleError naming the rule id and the problem when it is invalid."""
    try:
        return parse_rules(read_yaml(Path(path)))
    except RuleError as exc:
        raise RuleError(f"{path}: {exc}") from None
