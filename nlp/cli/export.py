"""``xxgk export``: the store's results and decisions as Parquet (for notebooks), CSV or Excel.

A thin wrapper over ``nlp.export``.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from nlp.cli._util import DbOption, app, err, exits, out
from nlp.config import settings
from nlp.store import Store


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def export(
    folder: Path = typer.Argument(..., help="The folder to write into (created if missing).", show_default=False),
    fmt: ExportFormat = typer.Option(
        ExportFormat.parquet, "--format", "-f",
        help="parquet: reports, cells, claims, findings, decisions, corrections (one file each); csv: claims "
             "and findings with their decisions, and the corrections (UTF-8 with BOM); xlsx: one workbook."),
    db: Optional[str] = DbOption,
) -> None:
    """Export the stored results and review decisions.

    Example: xxgk export out/ --format parquet   (then pandas.read_parquet("out/claims.parquet"))
    """
    from nlp import export as ex

    with exits():
        path = db or settings().db
        store = Store(path, create=False)  # a missing store is E031
        folder.mkdir(parents=True, exist_ok=True)
        if fmt is ExportFormat.parquet:
            written = list(ex.to_parquet(store, folder).values())
        elif fmt is ExportFormat.csv:
            written = [folder / "claims.csv", folder / "findings.csv", folder / "corrections.csv"]
            written[0].write_bytes(ex.claims_csv(store))
            written[1].write_bytes(ex.findings_csv(store))
            written[2].write_bytes(ex.corrections_csv(store))
        else:
            written = [folder / "xxgk.xlsx"]
            written[0].write_bytes(ex.to_xlsx(store))
    for p in written:
        out.print(str(p), highlight=False)
    err.print(f"wrote {len(written)} file(s) from {path}", highlight=False)
