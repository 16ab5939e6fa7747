"""Terminal rendering for the CLI (Rich): a readable summary of one result, one batch
outcome (summary, JSON line or error line), progress bars."""

from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from nlp.cli._util import error_line, out
from nlp.pipeline import Outcome
from nlp.schema import CLAIM_STATUSES, SEVERITIES, ReportResult

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_STATUS_STYLE = {"match": "green", "approx_match": "green", "mismatch": "red", "ambiguous": "yellow", "unchecked": "dim"}


@contextmanager
def progress(console: Console, total: int, enabled: bool = True) -> Iterator[Callable[[Path], None]]:
    """A progress bar over ``total`` items; yields ``advance(path)``."""
    if not enabled:
        yield lambda path: None
        return
    with Progress(
        TextColumn("[bold]checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=console, transient=True,
    ) as bar:
        task = bar.add_task("", total=total)
        yield lambda path: bar.update(task, advance=1, description=Path(path).name)


def print_outcome(outcome: Outcome, fmt: str, advance: Callable[[Path], None] = lambda p: None) -> bool:
    """Show one outcome of a batch: the error line (stderr), or the result as a summary
    (``fmt="table"``) or one JSON line (``"json"``). Returns True when it failed."""
    advance(outcome.path)
    if outcome.error:
        error_line(outcome.error)
        return True
    assert outcome.result is not None
    if fmt == "json":
        sys.stdout.write(json.dumps(outcome.result.to_json(), ensure_ascii=False) + "\n")
    else:
        print_summary(out, outcome.result)
    return False


def print_summary(console: Console, result: ReportResult) -> None:
    """Print one report's metadata, tables, claim statuses and findings."""
    data = result.to_json()
    rep = data["report"]
    console.rule(f"[bold]{rep['title'] or Path(data['source']).name}")
    console.print(
        f"source {data['source']}  ·  agency {rep['agency'] or '?'}  ·  year {rep['year'] or '?'}  ·  "
        f"template {rep['template']}  ·  script {rep['script']}",
        highlight=False,
    )
    present = [name for name, t in data["tables"].items() if t is not None]
    console.print(f"tables: {', '.join(present) if present else 'none'}", highlight=False)

    statuses = Counter(c["status"] for c in data["claims"])
    if data["claims"]:
        parts = [f"[{_STATUS_STYLE[s]}]{s} {statuses[s]}[/]" for s in CLAIM_STATUSES if statuses[s]]
        console.print(f"claims: {len(data['claims'])}  (" + ", ".join(parts) + ")")
    severities = Counter(f["severity"] for f in data["findings"])
    console.print(
        "findings: " + (", ".join(f"[{_SEVERITY_STYLE[s]}]{s} {severities[s]}[/]" for s in SEVERITIES if severities[s]) or "none")
    )
    if data["findings"]:
        t = RichTable(show_header=True, header_style="bold", box=None, pad_edge=False)
        t.add_column("severity")
        t.add_column("kind")
        t.add_column("message", overflow="fold")
        for f in data["findings"]:
            t.add_row(f"[{_SEVERITY_STYLE.get(f['severity'], '')}]{f['severity']}[/]", f["kind"], f["message"])
        console.print(t)
    flagged = [c for c in data["claims"] if c["status"] in ("mismatch", "ambiguous")]
    for c in flagged:
        console.print(
            f"  [{_STATUS_STYLE[c['status']]}]{c['status']}[/] {c['text']}  → {c['evidence']}", highlight=False
        )
