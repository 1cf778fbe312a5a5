"""`python -m bench [name …]`: run benchmarks, print a table per benchmark and a JSON summary.

Each benchmark is a module in this folder exposing `run() -> dict` of figures (medians of repeated runs,
with a same-run baseline where a ratio means more). Without names, every benchmark runs.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path


def available() -> list[str]:
    """Names of the benchmark modules in this folder (sub-packages such as `worlds` hold what they share)."""
    folder = Path(__file__).resolve().parent
    return sorted(
        info.name for info in pkgutil.iter_modules([str(folder)]) if not info.ispkg and not info.name.startswith("_")
    )


def usage() -> str:
    """The command line and each benchmark with the first line of its docstring (read without importing it)."""
    folder = Path(__file__).resolve().parent
    lines = ["usage: python -m bench [name ...]  (no name: run them all)", "", "benchmarks:"]
    for name in available():
        doc = ast.get_docstring(ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))) or ""
        lines.append(f"  {name.ljust(18)} {doc.splitlines()[0] if doc else ''}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the named (or all) benchmarks and print their figures; `-h`/`--help` lists them."""
    if {"-h", "--help"} & set(argv):
        print(usage())
        return 0
    names = argv or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}", file=sys.stderr)
        return 2
    summary: dict[str, dict] = {}
    for name in names:
        started = time.perf_counter()
        figures = importlib.import_module(f"bench.{name}").run()
        summary[name] = figures
        print(f"\n== {name} ({time.perf_counter() - started:.1f} s)")
        width = max((len(key) for key in figures), default=0)
        for key, value in figures.items():
            shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
            print(f"  {key.ljust(width)}  {shown}")
    print("\n" + json.dumps(summary, indent=2, sort_keys=True, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
