"""``xxgk units list|indicators|alias|unalias|coverage``: the register of units (``nlp.units``)
and their triage indicators (``nlp.indicators``).

Units are read from the store (each report's agency through the aliases kept there), or, for
``coverage``, from report files (only their title and year are read). Aliases are kept in the
store, append-only: ``alias`` records one, ``unalias`` removes it (its history stays).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from nlp.cli._util import DbOption, Format, FormatOption, Typer, app, err, exits, out
from nlp.config import settings
from nlp.store import Store
from nlp.indicators import INDICATORS, stored_units, unit_indicators, unit_list
from nlp.units import coverage, identify

units_app = Typer(help="The register of units: aliases, coverage of a region.", no_args_is_help=True)
app.add_typer(units_app, name="units")


def _store(db: Optional[str]) -> Store:
    return Store(db or settings().db)


def _stored_units(store: Store) -> list[tuple]:
    return [(unit, year, r["sha256"]) for unit, year, r in stored_units(store)]


@units_app.command("list")
def list_units(db: Optional[str] = DbOption, fmt: Format = FormatOption) -> None:
    """The units of the stored reports: key, name, level, region, years reported.

    Example: xxgk units list --db xxgk.sqlite
    """
    with exits():
        store = _store(db)
    for row in unit_list(store):
        if fmt is Format.json:
            row = {k: row[k] for k in ("key", "name", "level", "region", "years")}
            out.print(json.dumps(row, ensure_ascii=False), highlight=False, soft_wrap=True)
        else:
            out.print(f"{row['key']:28} {row['name']}  {row['level_zh']}  {row['region'] or '—'}  "
                      f"{','.join(map(str, row['years'])) or '—'}", highlight=False)


@units_app.command("indicators")
def indicators_cmd(
    year: Optional[int] = typer.Option(None, "--year", help="Only this report year."),
    level: Optional[str] = typer.Option(None, "--level", help="Only this level: province, city, county, township, department."),
    region: Optional[str] = typer.Option(None, "--region", help="Only units whose region names this (太原市)."),
    sort: Optional[str] = typer.Option(None, "--sort", help="Sort by an indicator: " + ", ".join(i.key for i in INDICATORS) + "."),
    prompted: bool = typer.Option(False, "--prompted", help="Only units with a prompt to look."),
    db: Optional[str] = DbOption,
    fmt: Format = FormatOption,
) -> None:
    """Triage indicators per unit and year, against the peers of the same level: prompts to look,
    never findings (nlp/indicators.py).

    Example: xxgk units indicators --year 2024 --level county --sort carry_rate --prompted
    """
    with exits():
        store = _store(db)
    if sort is not None and sort not in {i.key for i in INDICATORS}:
        err.print(f"[red]error[/red] no indicator {sort!r}; one of: {', '.join(i.key for i in INDICATORS)}", highlight=False)
        raise typer.Exit(2)
    rows = unit_indicators(store, year=year, level=level, region=region, prompted_only=prompted, sort=sort)
    for row in rows:
        if fmt is Format.json:
            out.print(json.dumps(row, ensure_ascii=False), highlight=False, soft_wrap=True)
            continue
        figures = "  ".join(f"{i.zh} {'—' if row[i.key]['value'] is None else row[i.key]['value']}" for i in INDICATORS)
        out.print(f"{row['year'] or '—'} {row['name']} ({row['level_zh']})  {figures}", highlight=False)
        for p in row["prompts"]:
            out.print(f"    ▲ {p}", highlight=False)


@units_app.command()
def alias(
    name: str = typer.Argument(..., help="The unit name as a report writes it (沐阳县人民政府)."),
    target: str = typer.Argument(..., help="The name it stands for (沭阳县人民政府)."),
    reviewer: str = typer.Option("", "--reviewer", help="Who says so."),
    db: Optional[str] = DbOption,
) -> None:
    """Record that a unit name stands for another (kept in the store; reports regroup at once).

    Example: xxgk units alias 沐阳县人民政府 沭阳县人民政府 --reviewer 王
    """
    with exits():
        store = _store(db)
        try:
            store.set_alias(name, target, reviewer=reviewer)
        except ValueError as e:
            err.print(f"[red]error[/red] {e}", highlight=False)
            raise typer.Exit(2) from None
    unit = identify(name, store.aliases())
    err.print(f"{name} → {target}: unit {unit.key if unit else '—'} {unit.name if unit else ''}", highlight=False)


@units_app.command()
def unalias(name: str = typer.Argument(..., help="The alias to remove."), db: Optional[str] = DbOption) -> None:
    """Remove an alias (its history stays in the store).

    Example: xxgk units unalias 沐阳县人民政府
    """
    with exits():
        _store(db).remove_alias(name)
    err.print(f"removed the alias {name}", highlight=False)


@units_app.command("coverage")
def coverage_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, help="Report files or folders (default: the stored reports)."),
    year: int = typer.Option(..., "--year", help="The report year."),
    region: str = typer.Option(..., "--region", help="A division: 太原市, 山西省太原市, 万柏林区 or its code."),
    db: Optional[str] = DbOption,
    fmt: Format = FormatOption,
) -> None:
    """For a year and a region: which units have a report, which have none.

    Example: xxgk units coverage --year 2024 --region 太原市 reports/
    """
    with exits():
        if paths:
            from nlp.ingest import ingest
            from nlp.pipeline import expand_inputs
            from nlp.sections import find_sections

            known = []
            for p in expand_inputs(paths):
                try:
                    meta = find_sections(ingest(p)).meta
                except Exception as e:  # a file that is no report is left out, with a line
                    err.print(f"skipped {p}: {str(e).splitlines()[0]}", highlight=False)
                    continue
                known.append((identify(meta.agency), meta.year, str(p)))
        else:
            known = _stored_units(_store(db))
        try:
            cov = coverage(known, year, region)
        except ValueError as e:
            err.print(f"[red]error[/red] {e}", highlight=False)
            raise typer.Exit(2) from None
    if fmt is Format.json:
        out.print(json.dumps(cov.to_json(), ensure_ascii=False), highlight=False, soft_wrap=True)
        return
    out.print(f"{cov.region} {year}: {len(cov.reported)} with a report, {len(cov.missing)} without", highlight=False)
    for row in cov.reported:
        out.print(f"  ✓ {row['name']} ({row['level_zh']}): {', '.join(map(str, row['reports']))}", highlight=False)
    for row in cov.missing:
        out.print(f"  ✗ {row['name']} ({row['level_zh']})", highlight=False)
