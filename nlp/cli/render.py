"""Terminal rendering for the CLI (Rich): a readable summary of one result, one batch
outcome (summary, JSON line or error line), progress bars."""

from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text
from rich.table import Table as RichTable

from nlp.cli._util import error_line, out
from nlp.pipeline import Outcome
from nlp.schema import CLAIM_STATUSES, SEVERITIES, ReportResult

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_STATUS_STYLE = {"match": "green", "approx_match": "green", "mismatch": "red", "ambiguous": "yellow", "unchecked": "dim"}


class _RateColumn(ProgressColumn):
    """Reports a second, over the whole run so far."""

    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:5.1f}/s" if speed else "   …/s", style="progress.data.speed")


REFRESHES = 2
"""Times a second the progress bar is made again (Rich's default is 10; also when the output is
not a terminal): each time its rate and ETA columns sum the last minute's progress samples, CPU
taken from the batch it reports on."""


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


@contextmanager
def progress(console: Console, total: Optional[int], enabled: bool = True) -> Iterator[Callable[[Outcome], None]]:
    """A progress bar over a batch of ``total`` inputs (None: unknown) with the rate, the
    time left and the failures so far; yields ``advance(outcome)``."""
    if not enabled:
        yield lambda outcome: None
        return
    with Progress(
        TextColumn("[bold]checking"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        TextColumn("[red]{task.fields[failed]} failed[/red] {task.description}"),
        console=console, transient=True, speed_estimate_period=60, refresh_per_second=REFRESHES,
        # the results go to standard output: through the bar's console only when that is the
        # terminal too (`> out.jsonl` under a terminal's bar would otherwise send them to stderr)
        redirect_stdout=_is_terminal(sys.stdout),
    ) as bar:
        task = bar.add_task("", total=total, failed=0)
        failed = 0

        def advance(outcome: Outcome) -> None:
            nonlocal failed
            failed += bool(outcome.error)
            bar.update(task, advance=1, failed=failed, description=escape(Path(str(outcome.path)).name))

        yield advance


def print_outcome(outcome: Outcome, fmt: str, advance: Callable[[Outcome], None] = lambda o: None,
                  detail: bool = True) -> bool:
    """Show one outcome of a batch: the error line (stderr), a note for an input skipped
    without a result (stderr), or the result (checked now or stored before) as a summary
    (``fmt="table"``; one line, :func:`print_line`, unless ``detail``) or one JSON line
    (``"json"``). Returns True when it failed."""
    advance(outcome)
    if outcome.error:
        error_line(outcome.error)
        return True
    if not outcome.checked and outcome.stored is None:
        note_line(f"{outcome.path}: {outcome.skipped}")
        return False
    if fmt == "json":
        sys.stdout.write(outcome.json_text() + "\n")
    elif detail:
        print_summary(out, outcome.data())
    else:
        print_line(out, outcome)
    return False


def finding_kinds(outcome: Outcome) -> Counter:
    """How many findings of each kind an outcome's result has (checked now or stored)."""
    if outcome.result is not None:
        return Counter(f.kind for f in outcome.result.findings)
    return Counter(f["kind"] for f in (outcome.stored or {}).get("findings", ()))


def print_line(console: Console, outcome: Outcome) -> None:
    """One report of a batch on one line: its file, year and agency, its claims (those that
    do not match) and its findings by severity; ``stored`` when it was not checked again."""
    if outcome.result is not None:
        r = outcome.result
        meta, statuses = r.sections.meta, Counter(c.status for c in r.claims)
        year, agency, severities = meta.year, meta.agency, Counter(f.severity for f in r.findings)
    else:
        data = outcome.stored or {}
        rep = data.get("report") or {}
        year, agency = rep.get("year"), rep.get("agency")
        statuses = Counter(c["status"] for c in data.get("claims", ()))
        severities = Counter(f["severity"] for f in data.get("findings", ()))
    bad = ", ".join(f"[{_STATUS_STYLE[s]}]{s} {statuses[s]}[/]" for s in ("mismatch", "ambiguous") if statuses[s])
    found = ", ".join(f"[{_SEVERITY_STYLE[s]}]{s} {severities[s]}[/]" for s in SEVERITIES if severities[s]) or "none"
    console.print(
        f"{escape(Path(str(outcome.path)).name)}  {year or '?'}  {escape(agency or '?')}  "
        f"claims {sum(statuses.values())}{f' ({bad})' if bad else ''}  findings {found}"
        f"{'  [dim]stored[/dim]' if not outcome.checked else ''}",
        highlight=False, soft_wrap=True,
    )


def print_kinds(console: Console, kinds: Counter) -> None:
    """The findings of a batch by kind, most first (one line)."""
    if kinds:
        console.print("findings by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()), highlight=False)


def note_line(message: str) -> None:
    """Print one dim ``note …`` line on stderr."""
    from nlp.cli._util import err

    err.print(f"[dim]note {escape(message)}[/dim]", highlight=False)


def print_summary(console: Console, result: Union[ReportResult, dict]) -> None:
    """Print one report's metadata, tables, claim statuses and findings (from its result or
    its JSON)."""
    data = result if isinstance(result, dict) else result.to_json()
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
