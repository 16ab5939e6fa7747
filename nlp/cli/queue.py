"""``xxgk queue push|pull|suggest|config``: the annotation queue in Label Studio.

Each command parses its options, calls one function of ``nlp.review`` and prints the result;
a library error becomes one line and exit code 2 (``exits``). Options left out fall back to
the settings (``xxgk config``): project title, tries, port, data folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from nlp import review
from nlp.cli._util import (DataDirOption, DbOption, ModelOption, ProjectOption, RetriesOption, ServerPortOption, err,
                           exits, out, queue_app)
from nlp.config import PATHS, settings


def client(port: Optional[int], data_dir: Optional[Path]):
    """A client for the recorded server, or for 127.0.0.1:PORT when a port is given."""
    from nlp.review import server

    cfg = server.ServerConfig.from_env(data_dir=data_dir, port=port)
    return server.connect(cfg, url=f"http://{server.HOST}:{port}" if port else None)


def _say(msg: str) -> None:
    err.print(msg, highlight=False)


@queue_app.command()
def push(
    db: Optional[str] = DbOption,
    from_json: Optional[Path] = typer.Option(None, "--from-json", help="Read check results from JSON Lines (xxgk check --format json) instead of the store."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Queue claims whose review score is below this (default: the check's needs_review)."),
    project: Optional[str] = ProjectOption,
    batch_size: int = typer.Option(review.BATCH_SIZE, "--batch-size", help="Tasks per import request."),
    retries: Optional[int] = RetriesOption,
    port: Optional[int] = ServerPortOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Send the claims that need review (needs_review, or ambiguous) to Label Studio, once each.

    Example: xxgk queue push --db xxgk.sqlite
    """
    with exits():
        items = (
            review.items_from_jsonl(from_json, threshold) if from_json else review.items_from_store(Path(db or settings().db), threshold)
        )
        report = review.push(
            items, client(port, data_dir), project_title=project, batch_size=batch_size,
            retry=review.RetryPolicy.from_env(retries), progress=_say,
        )  # fmt: skip
    out.print(str(report), highlight=False)


@queue_app.command()
def pull(
    out_dir: Path = typer.Option(PATHS.annotations, "--out", help="Folder of annotations.jsonl (default: annotations/ of the checkout).", show_default=False),
    project: Optional[str] = ProjectOption,
    full: bool = typer.Option(False, "--full", help="Read every annotated task, not only those changed since the last pull."),
    retries: Optional[int] = RetriesOption,
    port: Optional[int] = ServerPortOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Append the annotators' new and updated annotations to annotations/annotations.jsonl.

    Example: xxgk queue pull --out annotations/
    """
    with exits():
        report = review.pull(client(port, data_dir), out_dir, project_title=project, full=full,
                            retry=review.RetryPolicy.from_env(retries))
    out.print(str(report), highlight=False)


@queue_app.command()
def suggest(
    n: int = typer.Argument(..., help="How many numbers to suggest."),
    from_dir: Path = typer.Option(..., "--from", help="A folder of reports; its unlabelled numbers are the pool.", metavar="DIR"),
    model: Optional[str] = ModelOption,
    annotations: Optional[list[Path]] = typer.Option(None, "--annotations", help="Folders of annotation JSONL files, read recursively: what is labelled already (default: annotations/ of the checkout).", show_default=False, metavar="DIR"),
    per_report: Optional[int] = typer.Option(None, "--per-report", help="At most this many numbers from one report.", show_default=False),
    dry_run: bool = typer.Option(False, "--dry-run", help="List the suggestions; push nothing."),
    project: Optional[str] = ProjectOption,
    retries: Optional[int] = RetriesOption,
    port: Optional[int] = ServerPortOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Push the N unlabelled numbers whose labels would teach the model most (its doubt, doubled
    where a table figure depends on the metric it guesses) to Label Studio.

    Example: xxgk queue suggest 50 --from data/pages
    """
    from rich.table import Table

    from nlp.review.suggest import suggest as pick

    with exits():
        items = pick(from_dir, n, model=model, annotations_dirs=annotations or None, per_report=per_report)
    t = Table(title=f"{len(items)} suggestion(s) from {from_dir}")
    for col in ("priority", "metric", "confidence", "number", "sentence"):
        t.add_column(col, justify="right" if col in ("priority", "confidence") else "left")
    for it in items:
        t.add_row(f"{review.priority(it.confidence, it.metric):.3f}", it.metric, f"{it.confidence:.2f}",
                  it.number_text, it.sentence[:60])
    err.print(t)
    if dry_run or not items:
        return
    with exits():
        report = review.push(items, client(port, data_dir), project_title=project,
                             retry=review.RetryPolicy.from_env(retries), progress=_say)
    out.print(str(report), highlight=False)


@queue_app.command("config")
def config(
    path: Path = typer.Option(PATHS.label_config, "--out", help="Where to write the XML (default: annotations/label_config.xml of the checkout).", show_default=False),
) -> None:
    """Regenerate the labelling config from the metric label set (nlp.metrics.LABELS).

    Example: xxgk queue config --out annotations/label_config.xml
    """
    out.print(f"wrote {review.write_label_config(path)}", highlight=False)
