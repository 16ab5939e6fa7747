"""A reviewer's corrections of misread figures, applied to the tables and claims before they
are reconciled: ``apply_corrections(tables, claims, corrections) -> (tables, claims)``.

A correction (``nlp.schema.Correction``) names one table cell (``table``, ``row``, ``col``)
or one claim (``claim_id``) and gives the figure a person read there (``value``; for a claim
also its ``metric`` if the model named it wrong). The reader's reading stays on record in
the correction (``original_value``, ``original_raw``, ``original_metric``) and, for a cell,
in the cell's ``raw`` text and ``note``. Applying is pure and idempotent: the pipeline applies
the corrections the store holds every time a report is reconciled (``nlp.pipeline``), so a
re-check of the file keeps them, and the checks and the claim statuses are computed from the
corrected tables by the same stages as ever.

>>> tables, claims = apply_corrections(tables, claims, [correction])  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from nlp.schema import Claim, Correction, Table, Tables

__all__ = ["apply_corrections", "corrected_note", "restore_originals"]


def corrected_note(c: Correction) -> str:
    """The note a corrected cell carries: what the reader had read, and who corrected it."""
    before = "空白" if c.original_value is None else _fmt(c.original_value)
    return f"人工更正: 原读数 {before} → {'空白' if c.value is None else _fmt(c.value)}({c.reviewer})"


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _correct_table(table: Table, fixes: dict[tuple[str, str], Correction]) -> Table:
    cells = dict(table.cells)
    for (row, col), c in fixes.items():
        old = cells.get((row, col))
        if old is None:  # a cell the reader did not find: nothing to correct (the store refuses it)
            continue
        note = corrected_note(c) if not old.note else f"{old.note}; {corrected_note(c)}"
        cells[(row, col)] = replace(old, value=c.value, uncertain=False, note=note)
    return replace(table, cells=cells)


def apply_corrections(
    tables: Tables, claims: Sequence[Claim], corrections: Iterable[Correction]
) -> tuple[Tables, list[Claim]]:
    """The tables and claims with the corrections applied.

    Parameters
    ----------
    tables, claims:
        What the reader and the claims stage gave (uncorrected: the values as read).
    corrections:
        The corrections that apply (one per cell or claim; the latest wins if several).

    Returns
    -------
    ``(tables, claims)``: a corrected cell has the reviewer's value, ``uncertain`` False and a
    ``note`` saying what was read; a corrected claim has the reviewer's value (and metric).
    Cells and claims no correction names are the same objects.
    """
    by_table: dict[str, dict[tuple[str, str], Correction]] = {}
    by_claim: dict[str, Correction] = {}
    for c in corrections:
        if c.kind == "cell" and c.table and c.row and c.col:
            by_table.setdefault(c.table, {})[(c.row, c.col)] = c
        elif c.kind == "claim" and c.claim_id:
            by_claim[c.claim_id] = c
    changed = {
        name: _correct_table(t, by_table[name])
        for name in ("active", "requests", "review")
        if (t := tables.get(name)) is not None and name in by_table
    }
    if changed:
        tables = replace(tables, **changed)
    out = []
    for claim in claims:
        c = by_claim.get(claim.id)
        out.append(claim if c is None else replace(
            claim, value=c.value, metric=c.metric or claim.metric))
    return tables, out


def restore_originals(claims: Sequence[Claim], history: Iterable[Correction]) -> list[Claim]:
    """Claims as the claims stage gave them: each claim a correction ever named gets back the
    value and metric the reader had read (kept in its first correction)."""
    first: dict[str, Correction] = {}
    for c in history:
        if c.kind == "claim" and c.claim_id and c.claim_id not in first:
            first[c.claim_id] = c
    return [
        claim if claim.id not in first else replace(
            claim, value=first[claim.id].original_value,
            metric=first[claim.id].original_metric or claim.metric)
        for claim in claims
    ]
