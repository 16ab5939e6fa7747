"""``xxgk report``: the Word documents a reviewer sends — a report's 问题清单 (the problems
reviewers confirmed, with their evidence and table figures) and the batch's 通报 (by unit and
kind of problem) — written from the store by ``nlp.export``."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from nlp import export
from nlp.cli._util import DbOption, app, err, exits, out
from nlp.config import settings
from nlp.store import Store


@app.command()
def report(
    reports: Optional[List[str]] = typer.Argument(None, help="Reports: a sha256 prefix, a file name or the path as checked.",
                                                  show_default=False, metavar="REPORT"),
    every: bool = typer.Option(False, "--all", help="A 问题清单 for every report with a problem reviewers confirmed."),
    summary: bool = typer.Option(False, "--summary", help="Also write the 通报 of all reports (通报.docx)."),
    out_dir: Path = typer.Option(Path("."), "--out", help="The folder the documents are written to.", metavar="FOLDER"),
    db: Optional[str] = DbOption,
) -> None:
    """Write 问题清单 (one Word file a report) and the 通报 from the review decisions stored.

    Example: xxgk report 1a2b3c4d --summary --out 通报/ --db xxgk.sqlite
    """
    with exits():
        store = Store(db or settings().db, create=False)
        shas = export.find_reports(store, list(reports or []))
    if every:
        shas += [r["sha256"] for r in store.overview() if export.confirmed_items(store, r["sha256"]) and r["sha256"] not in shas]
    if not shas and not summary:
        err.print("nothing to write: name reports, or pass --all or --summary", highlight=False)
        raise typer.Exit(2)
    out_dir.mkdir(parents=True, exist_ok=True)
    for sha in shas:
        path = out_dir / export.document_name(store.report(sha))
        path.write_bytes(export.issue_list_docx(store, sha))
        out.print(f"{path}  ({len(export.confirmed_items(store, sha))} confirmed problem(s))", highlight=False)
    if summary:
        path = out_dir / "通报.docx"
        path.write_bytes(export.circular_docx(store))
        out.print(f"{path}  (all {len(store.overview())} report(s))", highlight=False)
