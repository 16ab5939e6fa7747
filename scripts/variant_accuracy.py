"""Today's reader on the print shop's variants: cells read exactly, and the findings raised.

    .venv/bin/python scripts/variant_accuracy.py [FIXTURES_DIR] [--diffs N]

For every ``<FIXTURES_DIR>/<report>/gold.json`` (default: tests/fixtures/printshop, made by
scripts/printshop.py), each variant present — ``report.docx``, ``report.pdf``,
``report.scan.pdf``, ``report.doc``, ``report.wps`` — is read as ``xxgk check`` reads it
(ingest -> find_sections -> parse_tables), its cells compared with the gold by
``gold_accuracy.compare_tables``, and its tables checked by ``nlp.checks.run_checks``.

Prints one line per report and variant: cells equal / cells in gold, the table-arithmetic
findings (kind ``table_arithmetic``: row sums, (七)总计, 一+二=三+四, table C totals) and the
other check findings, or the error code of a file the reader refuses (E006: a scan without a
text layer; E002: a type it does not read). Then one line per variant over all reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from gold_accuracy import compare_tables  # noqa: E402

VARIANTS = ("docx", "pdf", "scan", "doc", "wps")
FILES = {"docx": "report.docx", "pdf": "report.pdf", "scan": "report.scan.pdf", "doc": "report.doc", "wps": "report.wps"}
FIXTURES = ROOT / "tests" / "fixtures" / "printshop"


@dataclass
class Reading:
    """What the reader made of one variant of one report."""

    report: str
    variant: str
    equal: int = 0
    total: int = 0
    error: Optional[str] = None  # the XxgkError code when the file was refused
    arithmetic: list[str] = field(default_factory=list)  # "check severity: message"
    other: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)


def read_variant(path: Path, gold: dict, report: str, variant: str) -> Reading:
    """Read one file and measure it against its gold."""
    from nlp.checks import run_checks
    from nlp.errors import XxgkError
    from nlp.ingest import ingest
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    out = Reading(report, variant)
    try:
        doc = ingest(path)
    except XxgkError as e:
        out.error = e.code
        out.total = _gold_size(gold)  # a refused file reads none of the gold's cells
        return out
    sections = find_sections(doc)
    tables = parse_tables(doc, sections)
    out.equal, out.total, out.diffs = compare_tables(gold, tables)
    for f in run_checks(doc, sections, tables):
        line = f"{f.check} {f.severity}: {f.message}"
        (out.arithmetic if f.kind == "table_arithmetic" else out.other).append(line)
    return out


def _gold_size(gold: dict) -> int:
    from gold_accuracy import gold_cells

    for template in ("2021", "2019"):
        try:
            return sum(1 for _ in gold_cells(gold, template))
        except KeyError:
            continue
    raise ValueError("gold rows fit neither template")


def measure(fixtures: Path = FIXTURES) -> list[Reading]:
    """Every variant of every printed report under ``fixtures``."""
    out = []
    for gold_path in sorted(fixtures.glob("*/gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for variant in VARIANTS:
            path = gold_path.parent / FILES[variant]
            if path.exists():
                out.append(read_variant(path, gold, gold_path.parent.name, variant))
    return out


def _counts(lines: list[str]) -> str:
    if not lines:
        return "0"
    c = Counter(line.split(":", 1)[0] for line in lines)
    return f"{len(lines)} (" + ", ".join(f"{k} x{n}" for k, n in sorted(c.items())) + ")"


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fixtures", nargs="?", type=Path, default=FIXTURES)
    ap.add_argument("--diffs", type=int, default=8, help="cell differences shown per file")
    args = ap.parse_args(argv)
    readings = measure(args.fixtures)
    if not readings:
        raise SystemExit(f"no printed reports under {args.fixtures} (run scripts/printshop.py)")
    for r in readings:
        if r.error:
            print(f"{r.report} {r.variant}: unreadable ({r.error})")
            continue
        print(f"{r.report} {r.variant}: {r.equal}/{r.total} cells equal ({r.equal / r.total:.1%}); "
              f"table arithmetic findings {_counts(r.arithmetic)}; other findings {_counts(r.other)}")
        for d in r.diffs[: args.diffs]:
            print(f"    {d}")
        for line in r.arithmetic:
            print(f"    ! {line}")
    print()
    for v in VARIANTS:
        rs = [r for r in readings if r.variant == v]
        if not rs:
            continue
        eq, n = sum(r.equal for r in rs), sum(r.total for r in rs)
        refused = [f"{r.report} {r.error}" for r in rs if r.error]
        arith = sum(len(r.arithmetic) for r in rs)
        other = sum(len(r.other) for r in rs)
        print(f"{v:5} {len(rs)} files: cells exact {eq}/{n} = {eq / n:.2%}; table arithmetic findings {arith}; "
              f"other findings {other}" + (f"; unreadable: {', '.join(refused)}" if refused else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
