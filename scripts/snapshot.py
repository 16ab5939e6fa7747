"""Write (or compare) the JSON result of every bundled sample and data/corpus report.

The snapshot in ``tests/snapshots/reports/`` is the behaviour the code had when it was last
written on purpose; ``tests/test_snapshot.py`` fails on any difference, so that a change meant
to keep behaviour (a refactor) is shown to keep it, and a change meant to alter it shows what
it alters (re-write with ``--update`` and read the diff before committing).

    .venv/bin/python scripts/snapshot.py            # compare, print the reports that differ
    .venv/bin/python scripts/snapshot.py --update   # re-write the snapshot
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "snapshots" / "reports"
INPUTS = ("samples", "data/corpus")


def current() -> dict[str, str]:
    """The pretty-printed JSON result of every input, by snapshot file name."""
    from nlp.pipeline import check_many

    out: dict[str, str] = {}
    for outcome in check_many([ROOT / d for d in INPUTS]):
        rel = outcome.path.relative_to(ROOT).as_posix()
        name = rel.replace("/", "__") + ".json"
        if outcome.error:
            out[name] = json.dumps({"source": rel, "error": outcome.error}, ensure_ascii=False, indent=1) + "\n"
            continue
        data = outcome.result.to_json()
        data["source"] = rel
        out[name] = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="re-write the snapshot")
    args = ap.parse_args(argv)
    now = current()
    if args.update:
        SNAPSHOT.mkdir(parents=True, exist_ok=True)
        for old in SNAPSHOT.glob("*.json"):
            if old.name not in now:
                old.unlink()
        for name, text in now.items():
            (SNAPSHOT / name).write_text(text, "utf-8")
        print(f"wrote {len(now)} reports to {SNAPSHOT.relative_to(ROOT)}")
        return 0
    before = {p.name: p.read_text("utf-8") for p in SNAPSHOT.glob("*.json")}
    differ = sorted(n for n in before.keys() | now.keys() if before.get(n) != now.get(n))
    for n in differ:
        print(f"differs: {n}")
    print(f"{len(now) - len(differ)} of {len(before.keys() | now.keys())} reports identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
