"""Stage 3: read the three standard tables of a report.

    parse_tables(Document, Sections | None) -> Tables

The same table reaches us in many shapes; every shape is first turned into one stream of
tokens — labels, numbers, blanks — with their offsets in ``Document.text``
(:mod:`nlp.tables._tokens`); the tables are then read from the stream the same way whatever
the shape:

1. rows are found by their labels (``RowDef.labels`` of :mod:`nlp.schema`, compared without
   punctuation, brackets, spaces and ordinals), in the template's order, so that a column
   header ``其他`` or ``总计`` is never taken for a row, and a label must be followed by its
   figures to count. Rows a PDF conversion moved out of order are then looked for near the
   run, by their exact labels; figures standing on a line of their own under a stack of labels
   are read but marked ``uncertain``. A sentence that names a row and a figure is not a table:
   table A needs its block headers (``第二十条`` …) or nearly all its rows, table B eight rows
   (:mod:`nlp.tables._rows`);
2. a row's figures are the numbers after its label; where there are fewer numbers than columns
   the digits are glued, and :func:`nlp.tables._split.split_run` cuts them under the row's own
   sums (table B: six applicant columns add to 总计; table C: four results add to 总计). Table
   B's column sums (``(七)总计`` = the result rows; ``一 + 二 = (七)总计 + 四``) then choose among
   the rows' remaining splits. Where several readings still fit, one is taken
   deterministically, its cells are marked ``uncertain`` with a ``note``, and the other
   readings are listed in ``Table.alternatives``;
3. table C is its 15 figures in order after its header words (``结果维持`` …), however the
   headers are cut.

Each table is read by its own module (``table_a``, ``table_b``, ``table_c``). The template
(``2021`` / ``2019``) is decided here, by what the rows say — table B's ``(六)其他处理`` has
three sub-rows or one; table A has ``本年制发件数/废止`` or ``新制作/其他对外管理服务事项/
政府集中采购`` — and by the report's year, which the sections stage answers
(``Sections.meta.year``); a report for 2018 or earlier has no standard tables (``pre2019``).
Whether a table section's heading is there is asked of the sections too
(``Sections.has_heading``).
"""

from __future__ import annotations

from typing import Optional

from nlp.schema import (
    TABLE_A_2019,
    TABLE_A_2021,
    TABLE_B_2019,
    TABLE_B_2021,
    TABLE_TITLES,
    Document,
    Sections,
    Table,
    TableDef,
    Tables,
)
from nlp.sections import find_sections
from nlp.tables._rows import Hit, Joins, best_run
from nlp.tables._tokens import tokens
from nlp.tables.table_a import looks_like_a, read_a, template_score
from nlp.tables.table_b import read_b, template_fits
from nlp.tables.table_c import read_c
from nlp.tables.stats import read_stats
from nlp.text import fold

__all__ = ["parse_tables", "TABLE_KEYS"]

TABLE_KEYS = ("active", "requests", "review")

MIN_ROWS = {"active": 3, "requests": 8}
"""A run of matched rows shorter than this is not the table (narrative mentions a row label
now and then: ``行政规范性文件698件``)."""


def _template_of_year(year: Optional[int]) -> str:
    if year is None:
        return "unknown"
    if year <= 2018:
        return "pre2019"
    return "2019" if year <= 2020 else "2021"


def _span_of(sections: Sections, key: str) -> Optional[tuple[int, int]]:
    s = sections.get(key)
    return None if s is None else (s.start, s.end)


def parse_tables(doc: Document, sections: Optional[Sections] = None, previous: Optional[Tables] = None) -> Tables:
    """Read the standard tables A (主动公开), B (依申请) and C (复议诉讼) of a report.

    ``doc``: the ingested report (``doc.text``; ``doc.source_tables`` grids are used where
    present). ``sections``: where the table sections are, which headings the report has,
    and its year (``find_sections(doc)`` when not given). Where a section is missing the tables
    are found by their row labels in the whole text.

    ``previous``: the same unit's tables of the year before, when known (the store keeps
    them): glued rows of table A and the statistics table are cut so that the two years chain
    (上一年项目数量, 现行有效件数, 历年累计), where that settles them.

    Returns :class:`~nlp.schema.Tables`: ``template`` (2021 | 2019 | pre2019 | unknown), each
    table or ``None``, ``empty_sections`` (table sections whose heading is there but not the
    table) and ``notes``. Cells carry their offsets in ``doc.text``; a cell read from glued
    digits that several cuts fit is ``uncertain`` and the other cuts are in
    ``Table.alternatives``.
    """
    if sections is None:
        sections = find_sections(doc)
    folded = fold(doc.text)
    toks = tokens(doc, folded)
    joins = Joins(toks, (TABLE_B_2021, TABLE_B_2019, TABLE_A_2021, TABLE_A_2019))
    notes: list[str] = []
    year = sections.meta.year
    by_year = _template_of_year(year)

    # Each table is read in the form its own rows show: table B by its (六)其他处理 rows (three
    # sub-rows or one), table A by its rows and column headers. A table whose rows do not tell
    # follows the other table, else the year. Two tables that tell different forms make a
    # hybrid report (the 2021 table A beside the first 2019 edition's table B).
    requests: Optional[Table] = None
    b_template: Optional[str] = None
    span_b = _span_of(sections, "requests")

    def b_key(c: tuple[TableDef, list[Hit]]) -> tuple:
        t, hits = c
        return (template_fits(hits, t), len(hits), t.template == by_year)

    chains = {"2021": best_run(toks, TABLE_B_2021, span_b, "requests", joins)}
    # The most a 2019 chain can key: it fits, with each of its rows once. A fitting 2021 chain
    # keyed at least that high wins the max below (the first form wins a tie), and the
    # fallback that reads either chain is for no fit: the 2019 form is then not looked for.
    best_2019 = (True, len(TABLE_B_2019.rows), TABLE_B_2019.template == by_year)
    if b_key((TABLE_B_2021, chains["2021"])) < best_2019:
        chains["2019"] = best_run(toks, TABLE_B_2019, span_b, "requests", joins)
    cands = [(t, chains[t.template]) for t in (TABLE_B_2021, TABLE_B_2019)
             if len(chains.get(t.template, ())) >= MIN_ROWS["requests"]]
    b_def: Optional[TableDef] = None
    b_hits: list[Hit] = []
    if cands:
        b_def, b_hits = max(cands, key=b_key)
        if template_fits(b_hits, b_def):
            b_template = b_def.template

    active: Optional[Table] = None
    a_template: Optional[str] = None
    span_a = _span_of(sections, "active")
    a_chains = {t.template: best_run(toks, t, span_a, "active", joins) for t in (TABLE_A_2021, TABLE_A_2019)}
    a_cands = [t for t in (TABLE_A_2021, TABLE_A_2019)
               if len(a_chains[t.template]) >= MIN_ROWS["active"] and looks_like_a(a_chains[t.template], toks)]
    if a_cands:
        prefer = b_template or (by_year if by_year in ("2019", "2021") else "2021")
        tdef = max(a_cands, key=lambda t: (template_score(t, a_chains[t.template], toks), t.template == prefer))
        active = read_a(tdef, a_chains[tdef.template], toks, doc, folded,
                        previous.active if previous is not None else None)
        a_template = tdef.template

    if b_def is not None:
        if b_template is None:
            # neither form of (六) was read: table A's form decides, else the year
            pref = a_template or (by_year if by_year in ("2019", "2021") else "2021")
            b_def = TABLE_B_2021 if pref == "2021" else TABLE_B_2019
            b_hits = chains[b_def.template] or b_hits
            source = "table A" if a_template else "the year"
            notes.append(f"table B: the (六)其他处理 rows were not read; template taken from {source}")
        requests = read_b(b_def, b_hits, toks, doc)
        b_template = b_def.template

    # table C
    review = read_c(toks, doc, _span_of(sections, "review"))

    # the statistics table of a report of 2008–2018
    stats = None
    if by_year in ("pre2019", "unknown") and active is None and requests is None:
        stats = read_stats(toks, doc, folded, previous.stats if previous is not None else None)

    template = b_template or a_template
    if b_template and a_template and a_template != b_template:
        notes.append(f"table A reads as the {a_template} template, table B as the {b_template} one")
        template = "hybrid"
    if template is None:
        template = by_year if review is None or by_year in ("2019", "2021") else "2021"
    if year is not None and template in ("2019", "2021") and _template_of_year(year) not in (template, "unknown"):
        notes.append(f"the report is for {year} but its tables follow the {template} template")

    tables = {"active": active, "requests": requests, "review": review}
    for key, table in tables.items():
        if table is not None:
            missing = [r.key for r in table.definition.rows if not table.has_row(r.key)]
            if missing:
                notes.append(f"{TABLE_TITLES[key]}: rows not found: {', '.join(missing)}")
        if table is not None and table.alternatives:
            n = len(table.alternatives)
            notes.append(f"{TABLE_TITLES[key]}: {n} run(s) of glued digits fit more than one reading; "
                         "the cells are marked uncertain and the other readings kept in alternatives")
    empty: list[str] = []
    if template != "pre2019":
        for key in TABLE_KEYS:
            # with no year and no table, only a heading in the template's words counts
            if tables[key] is None and sections.has_heading(key, strict=template == "unknown"):
                empty.append(key)
    return Tables(
        template=template,
        active=active,
        requests=requests,
        review=review,
        notes=tuple(notes),
        empty_sections=tuple(empty),
        stats=stats,
    )
