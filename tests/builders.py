"""One place for the test data the test packages share.

For the checks and the claims: documents, sections, tables and claims built by hand from the
schema (fast, no reader), and the real stages run once per file.

    doc_of(text)                      a Document whose text is ``text``
    sections_of(year)                 Sections with metadata only
    make_table(defn, rows)            every row at 0 unless given (a list in column order or a dict)
    tables_2021(b, c, a)              tables A, B and C of the 2021 template
    claim_at(text, "110", 110, ...)   a claim on an occurrence of a number in ``text``
    reconcile_and_check(text, claims, tables)   reconcile, then the narrative checks
    read_report(path)                 ingest → sections → tables → claims → reconcile → checks, cached
    seed_result("002"), corpus_result("008")   (doc, tables, claims, findings) of a bundled report

For the model and the review room: claim records and check results as JSON.

    claim_record(left, unit)          a claim record (nlp.claims.claim_record's shape)
    RECORDS, RECORD_LABELS            twelve records of three metrics
    queue_result(n)                   a check result (report-json.md) with n claims to review

For the reader: documents, table B rows, the seeds' hand-read tables, the State Council
template's grids, and reports written as HTML, DOCX and PDF from them.

- ``text_doc(text)``: a Document whose text is ``text`` as given (no cleaning);
- ``read(kind, prefix)``: a seed or corpus report ingested and its tables parsed (cached);
- ``b_rows``, ``one``, ``numbered_b_rows``, ``glued_b``: table B as data and as crawler text;
- ``SEED_A`` / ``SEED_B`` / ``SEED_C``: seeds 000-002's tables, the facts of EXPECTED.md;
- ``template_grids(tables)`` and ``to_html`` / ``to_docx`` / ``to_pdf``: a report's tables laid
  out with the template's merged cells, in each published format;
- ``cjk_pdf``: a small PDF with a CID font, a footer and a ruled table;
- ``assert_offsets_consistent`` / ``assert_tables_consistent``: what every Document must hold.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from nlp.config import Settings
from nlp.reconcile import clause_bounds
from nlp.schema import (
    TABLE_A_2021,
    TABLE_B_2021,
    TABLE_C,
    Cell,
    Claim,
    Document,
    Finding,
    ReportMeta,
    Section,
    Sections,
    Table,
    TableDef,
    Tables,
    stable_id,
)
import hashlib
import html
from pathlib import Path
from typing import Optional

import pytest

from conftest import CORPUS, SAMPLES, corpus_path, seed_path
from nlp.errors import XxgkError
from nlp.ingest import ingest
from nlp.schema import (
    REQUEST_COLUMN_LABELS,
    REVIEW_COLUMN_LABELS,
    TABLE_A_2021,
    TABLE_B_2019,
    TABLE_B_2021,
    Document,
    Tables,
)
from nlp.sections import find_sections
from nlp.tables import parse_tables


SHA = "0" * 64


# ---------------------------------------------------------------------------
# Documents and sections
# ---------------------------------------------------------------------------


def doc_of(text: str, sha: str = "sha-test", source: str = "t.txt") -> Document:
    return Document(source=source, sha256=sha, format="txt", display_text=text, text=text,
                    offsets=tuple(range(len(text) + 1)))


def sections_of(year: Optional[int] = 2021, sections: Sequence[Section] = (), agency: Optional[str] = None,
                title: Optional[str] = None) -> Sections:
    return Sections(meta=ReportMeta(title=title, agency=agency, year=year, script="hans"), sections=tuple(sections))


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def make_table(defn: TableDef, rows: dict, raws: Optional[dict[tuple[str, str], str]] = None, *,
               located: bool = False, **kw: Any) -> Table:
    """Every row of ``defn`` at 0 unless ``rows`` gives it (a list in column order, None for a
    blank, or a dict by column). ``raws`` overrides a cell's text. ``located`` gives cells and
    the table places in a notional text (for evidence spans); unlocated tables have no extent,
    so that no claim of a test text falls inside them."""
    raws = raws or {}
    cells = {}
    pos = 0
    for r in defn.rows:
        cols = defn.cols_of(r)
        vals = rows.get(r.key, [0] * len(cols))
        items = vals.items() if isinstance(vals, dict) else zip(cols, vals)
        for col, v in items:
            raw = raws.get((r.key, col), "" if v is None else str(v))
            start, end = (pos, pos + len(raw)) if located else (None, None)
            cells[(r.key, col)] = Cell(v, raw, start=start, end=end)
            pos += len(raw) + 3
    if located:
        kw = {"start": 0, "end": pos, **kw}
    return Table(defn, cells, **kw)


def b_row(total: int, natural: Optional[int] = None) -> list[int]:
    """A row of table B: ``natural`` by natural persons (default all), the rest by businesses."""
    n = total if natural is None else natural
    return [n, total - n, 0, 0, 0, 0, total]


def c_row(maintained: int, corrected: int, other: int, pending: int) -> list[int]:
    return [maintained, corrected, other, pending, maintained + corrected + other + pending]


def tables_2021(b: Optional[dict] = None, c: Optional[dict] = None, a: Optional[dict] = None, **kw: Any) -> Tables:
    return Tables(
        template=kw.pop("template", "2021"),
        active=make_table(TABLE_A_2021, a or {}),
        requests=make_table(TABLE_B_2021, b or {}),
        review=make_table(TABLE_C, c or {}),
        **kw,
    )


def good_b(definition: TableDef = TABLE_B_2021, **rows: list) -> Table:
    """A located table B that adds up: one request, granted."""
    base = {"new": [1, 0, 0, 0, 0, 0, 1], "granted": [1, 0, 0, 0, 0, 0, 1], "closed": [1, 0, 0, 0, 0, 0, 1]}
    base.update(rows)
    return make_table(definition, base, located=True)


def good_c(**rows: list) -> Table:
    """A located table C that adds up (seed 002's figures)."""
    base = {"reconsideration": [10, 0, 1, 1, 12], "litigation_direct": [1, 0, 1, 2, 4], "litigation_after": [7, 0, 1, 0, 8]}
    base.update(rows)
    return make_table(TABLE_C, base, located=True)


def good_a(**rows: list) -> Table:
    """A located table A of the 2021 template with plausible figures."""
    base = {"normative_docs": [4, 2, 11], "licensing": [64142], "penalty": [1034], "fees": [803]}
    base.update(rows)
    return make_table(TABLE_A_2021, base, located=True)


# seed 002 (太原市万柏林区 2024), tables B and C as read by hand
B_002 = {
    "new": b_row(100, 96),
    "carried_in": b_row(10),
    "granted": b_row(9, 7),
    "partial": b_row(11, 10),
    "denied.third_party": b_row(1),
    "denied.enforcement_file": b_row(1),
    "unavailable.not_held": b_row(77, 76),
    "other.no_correction": b_row(1),
    "closed": b_row(100, 95),
    "carried_out": b_row(10),
}
C_002 = {
    "reconsideration": c_row(10, 0, 1, 1),
    "litigation_direct": c_row(1, 0, 1, 2),
    "litigation_after": c_row(7, 0, 1, 0),
}


# ---------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------

def claim_at(text: str, number_text: str, value, metric: str = "other", *, nth: int = 0,
             unit: Optional[str] = None, approx: bool = False, qualifier: Optional[str] = None,
             confidence: float = 0.95, source: str = "model") -> Claim:
    """A claim on the ``nth`` occurrence of ``number_text`` in ``text``; its text is the clause."""
    pat = re.escape(number_text)
    if number_text[:1].isdigit():
        pat = r"(?<![\d.])" + pat + r"(?![\d.])"
    starts = [m.start() for m in re.finditer(pat, text)]
    ns = starts[nth]
    ne = ns + len(number_text)
    lo, hi = clause_bounds(text, ns, ne)
    return Claim(
        id=stable_id("sha-test", text[lo:hi], number_text, nth, prefix="C-"),
        text=text[lo:hi], start=lo, end=hi, value=value, number_text=number_text,
        num_start=ns, num_end=ne, approx=approx, qualifier=qualifier, unit=unit, metric=metric,
        confidence=confidence, sentence=text[lo:hi], section="overview", source=source,
    )


def counts_at(text: str, numbers: list[str], unit: str = "条", metric: str = "proactive.part") -> list[Claim]:
    """Claims on each number of ``numbers`` in order (a repeated number takes its next
    occurrence; ``1300余`` is approximate)."""
    out, seen = [], {}
    for n in numbers:
        k = seen.get(n, 0)
        seen[n] = k + 1
        q = n.endswith("余")
        num = n.rstrip("余")
        out.append(claim_at(text, n, float(num) if "." in num else int(num), metric, nth=k, unit=unit,
                            approx=q, qualifier="余" if q else None))
    return out


def only(findings: Sequence[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def reconcile_and_check(text: str, claims: list[Claim], tables: Optional[Tables] = None, *,
                        checks: Optional[Sequence[str]] = None, settings: Optional[Settings] = None,
                        threshold: Optional[float] = None, confidence_floor: Optional[float] = None,
                        sha: str = "sha-test", year: Optional[int] = 2021) -> tuple[list[Claim], list[Finding]]:
    """Reconcile ``claims`` with ``tables`` over a document of ``text``, then run the checks
    that need claims (or ``checks``): ``(claims, findings)``."""
    from nlp.checks import REGISTRY, run_checks
    from nlp.reconcile import reconcile

    tables = tables or Tables(template="unknown")
    doc, secs = doc_of(text, sha=sha), sections_of(year)
    out = reconcile(doc, secs, tables, claims, threshold=threshold, confidence_floor=confidence_floor,
                    settings=settings)
    if confidence_floor is not None:
        settings = replace(settings or Settings(), confidence_floor=confidence_floor)
    names = checks if checks is not None else [n for n, s in REGISTRY.items() if "claims" in s.needs]
    return out, run_checks(doc, secs, tables, out, names=names, settings=settings)


# ---------------------------------------------------------------------------
# Real reports through the real stages
# ---------------------------------------------------------------------------

_CACHE: dict[str, tuple] = {}


def read_report(path: Union[str, Path]) -> tuple:
    """``(doc, sections, tables, claims, findings)`` of a real report, by the pipeline's stages
    with the bundled model; computed once per file and test session."""
    key = str(path)
    if key not in _CACHE:
        result = _checker().check(path)
        _CACHE[key] = (result.document, result.sections, result.tables, result.claims, result.findings)
    return _CACHE[key]


_CHECKER: list = []


def _checker():
    if not _CHECKER:
        from nlp.pipeline import Checker

        _CHECKER.append(Checker())
    return _CHECKER[0]


def seed_result(prefix: str) -> tuple:
    """``(doc, tables, claims, findings)`` of a bundled seed through the real stages."""
    from conftest import seed_path

    doc, _, tables, claims, findings = read_report(seed_path(prefix))
    return doc, tables, claims, findings


def corpus_result(prefix: str) -> tuple:
    """``(doc, tables, claims, findings)`` of a data/corpus report through the real stages."""
    from conftest import corpus_path

    doc, _, tables, claims, findings = read_report(corpus_path(prefix))
    return doc, tables, claims, findings


def claims_with(claims: Sequence[Claim], value, words: str = "") -> list[Claim]:
    from nlp.reconcile import equal

    return [c for c in claims if c.value is not None and equal(c.value, value) and words in c.sentence + c.text]


def one_claim(claims: Sequence[Claim], value, words: str = "") -> Claim:
    found = claims_with(claims, value, words)
    assert found, f"no claim {value} with “{words}”: {[(c.number_text, c.text) for c in claims]}"
    return found[0]


# ---------------------------------------------------------------------------
# One check over hand-built tables
# ---------------------------------------------------------------------------


def context(tables: Tables, *, year: Optional[int] = 2021, sections: Optional[Sections] = None, sha: str = SHA,
            text: str = "", claims: Optional[Sequence[Claim]] = None, settings: Optional[Settings] = None):
    """A ``CheckContext`` for ``tables`` in a report of ``year`` (``sections`` replace the
    metadata-only sections when given)."""
    from nlp.checks import CheckContext

    return CheckContext(doc_of(text, sha=sha), sections or sections_of(year), tables, claims, settings or Settings())


def run_check(name: str, tables: Tables, **kw: Any) -> list[Finding]:
    """The findings of the one registered check ``name`` (``context``'s keywords)."""
    from nlp.checks import CHECKS

    return CHECKS[name](context(tables, **kw))


def tables_of(template: str = "2021", **kw: Any) -> Tables:
    """``Tables`` of ``template`` holding the given tables (active=, requests=, review=)."""
    return Tables(template=template, **kw)


def read_tables(path: Union[str, Path]) -> tuple[Document, Sections, Tables]:
    """``(doc, sections, tables)`` of a real report by the reader's stages only."""
    from nlp.ingest import ingest
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    doc = ingest(path)
    secs = find_sections(doc)
    return doc, secs, parse_tables(doc, secs)


# ---------------------------------------------------------------------------
# The reader's test data
# ---------------------------------------------------------------------------


SEED_FILES = sorted(SAMPLES.glob("*.txt"))
CORPUS_FILES = sorted(p for p in CORPUS.glob("*.*") if p.name != "README.md" and p.is_file())

needs_data = pytest.mark.skipif(not SEED_FILES or not CORPUS_FILES, reason="seeds/corpus not present")


def seed(prefix: str) -> Path:
    return next(p for p in SEED_FILES if p.name.startswith(prefix))


def corpus(prefix: str) -> Path:
    return next(p for p in CORPUS_FILES if p.name.startswith(prefix))


def read(kind: str, prefix: str, with_sections: bool = True) -> tuple[Document, Tables]:
    key = (kind + prefix, with_sections)
    if key not in _CACHE:
        path = seed_path(prefix) if kind == "seed" else corpus_path(prefix)
        doc = ingest(path)
        _CACHE[key] = doc, parse_tables(doc, find_sections(doc) if with_sections else None)
    return _CACHE[key]


_CACHE: dict[tuple[str, bool], tuple[Document, Tables]] = {}


def text_doc(text: str, fmt: str = "txt") -> Document:
    """A Document whose text is ``text`` as given (no cleaning, identity offsets)."""
    return Document(
        source="<test>",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format=fmt,
        display_text=text,
        text=text,
        offsets=tuple(range(len(text) + 1)),
    )


def b_rows(template: str, **rows: list[Optional[int]]) -> dict[str, list[Optional[int]]]:
    """Every row of table B zero except those given (keys with ``__`` for ``.``)."""
    tdef = TABLE_B_2021 if template == "2021" else TABLE_B_2019
    out = {r.key: [0] * 7 for r in tdef.rows}
    for k, v in rows.items():
        out[k.replace("__", ".")] = v
    return out


def one(n: int, nat: int = None) -> list[int]:  # type: ignore[assignment]
    """A row whose only figures are 自然人 and 总计."""
    return [n if nat is None else nat, 0, 0, 0, 0, 0, n]


def b_label(rd) -> str:
    return rd.labels[0]


def numbered_b_rows(tdef=TABLE_B_2021, label_of=lambda rd: rd.labels[0]):
    """Table B's rows with their printed labels, sub-rows numbered as the template does (1.属于国家秘密)."""
    ordinal: dict[str, int] = {}
    for rd in tdef.rows:
        label = label_of(rd)
        if rd.parent:
            ordinal[rd.parent] = ordinal.get(rd.parent, 0) + 1
            label = f"{ordinal[rd.parent]}.{label}"
        yield rd, label


def glued_b(rows: dict[str, str], template: str = "2021") -> str:
    """Table B as crawler text: label then its digits, glued (``"1.属于国家秘密0000000"``)."""
    tdef = TABLE_B_2021 if template == "2021" else TABLE_B_2019
    parts = ["三、收到和处理政府信息公开申请情况 申请人情况 自然人 法人或其他组织 总计 商业 企业 科研 机构 "
             "社会公益组织 法律服务机构 其他 "]
    for rd, label in numbered_b_rows(tdef, b_label):
        parts.append(label + rows.get(rd.key, "0000000"))
    return "".join(parts) + " 四、政府信息公开行政复议、行政诉讼情况"


SEED_A = {
    "000": {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_docs": {"issued": 0, "repealed": 0, "in_force": 15},
            "licensing": 21500, "penalty": 17, "coercion": 0, "fees_10k_yuan": 3443},
    "001": {"rules": {"made": 0, "published": 0, "total": 0},
            "normative_docs": {"made": 3, "published": 3, "total": 5},
            "licensing": {"previous": 0, "change": 0, "decisions": 0},
            "other_services": {"previous": 0, "change": 0, "decisions": 0},
            "penalty": {"previous": 0, "change": 0, "decisions": 0},
            "coercion": {"previous": 0, "change": 0, "decisions": 0},
            "fees": {"previous": 0, "change": 0},
            "procurement": {"projects": 8, "amount_10k_yuan": 1112}},
    "002": {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_docs": {"issued": 4, "repealed": 2, "in_force": 11},
            "licensing": 64142, "penalty": 1034, "coercion": 0, "fees_10k_yuan": 803},
}


SEED_B = {
    "000": b_rows("2021", new=one(1), granted=one(1), closed=one(1)),
    "001": b_rows("2019", new=one(12), granted=one(2), denied__internal_affairs=one(2),
                  denied__process_info=one(3), unavailable__not_held=one(5), closed=one(12)),
    "002": b_rows("2021", new=[96, 4, 0, 0, 0, 0, 100], carried_in=one(10), granted=[7, 2, 0, 0, 0, 0, 9],
                  partial=[10, 1, 0, 0, 0, 0, 11], denied__third_party=one(1), denied__enforcement_file=one(1),
                  unavailable__not_held=[76, 1, 0, 0, 0, 0, 77], other__no_correction=one(1),
                  closed=[96, 4, 0, 0, 0, 0, 100], carried_out=one(10)),
}


ZERO_C = {"reconsideration": [0] * 5, "litigation_direct": [0] * 5, "litigation_after": [0] * 5}


SEED_C = {
    "000": ZERO_C,
    "001": ZERO_C,
    "002": {"reconsideration": [10, 0, 1, 1, 12], "litigation_direct": [1, 0, 1, 2, 4],
            "litigation_after": [7, 0, 1, 0, 8]},
}


def assert_offsets_consistent(doc) -> None:
    assert len(doc.offsets) == len(doc.text) + 1
    assert doc.offsets[-1] == len(doc.display_text)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:]))
    assert all(0 <= o <= len(doc.display_text) for o in doc.offsets)


def assert_tables_consistent(doc) -> None:
    for t in doc.source_tables:
        assert t.rows, "a SourceTable has rows"
        width = len(t.rows[0])
        assert all(len(r) == width for r in t.rows), "grid is rectangular"
        assert len(t.cell_spans) == len(t.rows)
        assert 0 <= t.start <= t.end <= len(doc.text)
        for row, spans in zip(t.rows, t.cell_spans):
            assert len(spans) == width
            for cell, sp in zip(row, spans):
                if sp is not None:
                    assert doc.text[sp[0]:sp[1]] == cell
                    assert t.start <= sp[0] <= sp[1] <= t.end


def cjk_pdf(path: Path, pages: list[list[str]], table_on: int = -1) -> None:
    """A PDF with a CID font (STSong-Light), a page number footer, and optionally a ruled
    3x3 table whose first column merges its last two rows."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    for n, lines in enumerate(pages, start=1):
        c.setFont("STSong-Light", 9)
        c.drawString(72, h - 40, "某某市人民政府办公室文件")
        c.setFont("STSong-Light", 12)
        y = h - 90
        for line in lines:
            c.drawString(72, y, line)
            y -= 20
        if n - 1 == table_on:
            x0, y0, cw, rh = 72, y - 20, 120, 24
            c.line(x0, y0, x0 + 3 * cw, y0)
            c.line(x0, y0 - rh, x0 + 3 * cw, y0 - rh)
            c.line(x0 + cw, y0 - 2 * rh, x0 + 3 * cw, y0 - 2 * rh)
            c.line(x0, y0 - 3 * rh, x0 + 3 * cw, y0 - 3 * rh)
            for k in range(4):
                c.line(x0 + k * cw, y0, x0 + k * cw, y0 - 3 * rh)
            cells = {(0, 0): "信息内容", (0, 1): "本年制发件数", (0, 2): "现行有效件数",
                     (1, 0): "行政规范性文件", (1, 1): "4", (1, 2): "11", (2, 1): "5", (2, 2): "12"}
            for (r, k), v in cells.items():
                c.drawString(x0 + k * cw + 4, y0 - r * rh - 16, v)
            c.drawString(72, y0 - 3 * rh - 30, "表格之后的正文。")
        c.setFont("STSong-Light", 10)
        c.drawCentredString(w / 2, 30, f"- {n} -")
        c.showPage()
    c.save()


GridCell = tuple[str, int, int]


def _raw(tables: Tables, name: str, row: str, col: str) -> str:
    cell = tables.get(name).cells.get((row, col))
    return "" if cell is None or cell.value is None else cell.raw


def template_grids(t: Tables) -> list[list[list[GridCell]]]:
    """The three tables of a 2021-template report laid out as the template prints them."""
    a: list[list[GridCell]] = []
    heads = {"rules": ("第二十条第(一)项", ("本年制发件数", "本年废止件数", "现行有效件数")),
             "licensing": ("第二十条第(五)项", ("本年处理决定数量",)),
             "penalty": ("第二十条第(六)项", ("本年处理决定数量",)),
             "fees": ("第二十条第(八)项", ("本年收费金额(单位:万元)",))}
    for r in TABLE_A_2021.rows:
        if r.key in heads:
            block, cols = heads[r.key]
            a.append([(block, 1, 4)])
            a.append([("信息内容", 1, 1)] + [(c, 1, 4 - len(cols) if len(cols) == 1 else 1) for c in cols])
        cols = TABLE_A_2021.cols_of(r)
        vals = [_raw(t, "active", r.key, c) for c in cols]
        if len(vals) == 1:
            a.append([(r.labels[0], 1, 1), (vals[0], 1, 3)])
        else:
            a.append([(r.labels[0], 1, 1)] + [(v, 1, 1) for v in vals])

    def nums(row: str) -> list[GridCell]:
        return [(_raw(t, "requests", row, c), 1, 1) for c in TABLE_B_2021.columns]

    b: list[list[GridCell]] = [
        [("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(c, 1, 1) for c in REQUEST_COLUMN_LABELS[1:6]],
        [("一、本年新收政府信息公开申请数量", 1, 3)] + nums("new"),
        [("二、上年结转政府信息公开申请数量", 1, 3)] + nums("carried_in"),
    ]
    results = [r for r in TABLE_B_2021.rows if r.key not in ("new", "carried_in", "carried_out")]
    group_titles = {"denied": "(三)不予公开", "unavailable": "(四)无法提供", "not_processed": "(五)不予处理", "other": "(六)其他处理"}
    top_titles = {"granted": "(一)予以公开", "partial": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "closed": "(七)总计"}
    seen_group: dict[str, int] = {}
    for i, r in enumerate(results):
        row: list[GridCell] = []
        if i == 0:
            row.append(("三、本年度办理结果", len(results), 1))
        if r.parent:
            n = seen_group.get(r.parent, 0)
            if n == 0:
                size = sum(1 for x in results if x.parent == r.parent)
                row.append((group_titles[r.parent], size, 1))
            seen_group[r.parent] = n + 1
            row.append((f"{n + 1}.{r.labels[0]}", 1, 1))
        else:
            row.append((top_titles[r.key], 1, 2))
        b.append(row + nums(r.key))
    b.append([("四、结转下年度继续办理", 1, 3)] + nums("carried_out"))

    c: list[list[GridCell]] = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [(h, 2, 1) for h in REVIEW_COLUMN_LABELS] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(h, 1, 1) for h in REVIEW_COLUMN_LABELS] * 2,
        [(_raw(t, "review", row, col), 1, 1) for row in ("reconsideration", "litigation_direct", "litigation_after") for col in ("maintained", "corrected", "other", "pending", "total")],
    ]
    return [a, b, c]


def report_blocks(path: Path) -> list[object]:
    """The text report as a list of paragraphs (str) and table slots (int 0, 1, 2)."""
    blocks: list[object] = []
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if " | " in line or line.rstrip().endswith("|"):
            if not blocks or not isinstance(blocks[-1], int):
                blocks.append(n)
                n += 1
            continue
        if line.strip():
            blocks.append(line.strip())
    assert n == 3, "seed 002 has three tables"
    return blocks


def to_html(blocks, grids, charset: str) -> str:
    parts = [f'<html><head><meta charset="{charset}"><title>报告</title></head><body><div class="article">']
    for b in blocks:
        if isinstance(b, int):
            parts.append('<table border="1">')
            for row in grids[b]:
                parts.append("<tr>" + "".join(
                    f'<td rowspan="{rs}" colspan="{cs}">{html.escape(text)}</td>' for text, rs, cs in row) + "</tr>")
            parts.append("</table>")
        else:
            parts.append(f"<p>{html.escape(b)}</p>")
    parts.append("</div></body></html>")
    return "\n".join(parts)


def _expand(grid: list[list[GridCell]]) -> list[list[tuple[str, tuple[int, int]]]]:
    """Place each grid cell at its (row, col); returns per row the cells and their origin."""
    width = sum(cs for _, _, cs in grid[0])
    taken: dict[tuple[int, int], tuple[int, int]] = {}
    placed = []
    for r, row in enumerate(grid):
        col = 0
        out = []
        for text, rs, cs in row:
            while (r, col) in taken:
                col += 1
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, col + dc)] = (r, col)
            out.append((text, r, col, rs, cs))
            col += cs
        placed.append(out)
    return placed, width


def to_docx(blocks, grids, path: Path) -> None:
    import docx

    d = docx.Document()
    for b in blocks:
        if not isinstance(b, int):
            d.add_paragraph(b)
            continue
        placed, width = _expand(grids[b])
        table = d.add_table(rows=len(grids[b]), cols=width)
        for row in placed:
            for text, r, c, rs, cs in row:
                cell = table.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
                cell.text = text
    d.save(str(path))


def to_pdf(blocks, grids, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    cell_style = ParagraphStyle("zh-cell", fontName="STSong-Light", fontSize=7, leading=8.5, wordWrap="CJK")
    story = []
    for b in blocks:
        if not isinstance(b, int):
            story.append(Paragraph(html.escape(b), style))
            continue
        placed, width = _expand(grids[b])
        data = [["" for _ in range(width)] for _ in grids[b]]
        spans = []
        for row in placed:
            for text, r, c, rs, cs in row:
                data[r][c] = Paragraph(html.escape(text), cell_style) if len(text) > 6 else text
                if rs > 1 or cs > 1:
                    spans.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        widths = [60] * width if width > 4 else [120] * width
        if b == 1:
            widths = [40, 60, 150] + [38] * 7
        if b == 2:
            widths = [34] * 15
        tbl = Table(data, colWidths=widths)
        tbl.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 7), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)] + spans))
        story += [PageBreak(), tbl]  # a table with row spans must fit on one page
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def ingest_raises(path, code, **kw):
    """ingest(path) raises ``code``: one line naming the file."""
    with pytest.raises(XxgkError) as e:
        ingest(path, **kw)
    msg = str(e.value)
    assert e.value.code == code, msg
    assert msg.startswith(code) and str(path) in msg and "\n" not in msg
    return msg


# One report (seed 002's tables) in every shape a text reaches us in

_GROUP_HEADS = {"denied": "(三)不予公开", "unavailable": "(四)无法提供", "not_processed": "(五)不予处理",
                "other": "(六)其他处理"}


_TOP = {"granted": "(一)", "partial": "(二)", "closed": "(七)", "new": "一、", "carried_in": "二、",
        "carried_out": "四、"}


def canonical_rows(a: dict, b: dict, c: dict) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """Seed 002's tables as rows of cells, the way the template prints them."""
    a_rows = [["第二十条第(一)项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
              ["规章", *map(str, a["rules"].values())], ["行政规范性文件", *map(str, a["normative_docs"].values())],
              ["第二十条第(五)项"], ["信息内容", "本年处理决定数量"], ["行政许可", str(a["licensing"])],
              ["第二十条第(六)项"], ["信息内容", "本年处理决定数量"], ["行政处罚", str(a["penalty"])],
              ["行政强制", str(a["coercion"])], ["第二十条第(八)项"], ["信息内容", "本年收费金额(单位:万元)"],
              ["行政事业性收费", str(a["fees_10k_yuan"])]]
    b_rows = [["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"],
              ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    seen: dict[str, int] = {}
    for rd in TABLE_B_2021.rows:
        cells = []
        if rd.key == "granted":
            cells.append("三、本年度办理结果")
        if rd.parent:
            seen[rd.parent] = seen.get(rd.parent, 0) + 1
            if seen[rd.parent] == 1:
                cells.append(_GROUP_HEADS[rd.parent])
            cells.append(f"{seen[rd.parent]}.{rd.labels[0]}")
        else:
            cells.append(_TOP[rd.key] + rd.labels[0])
        b_rows.append(cells + [str(v) for v in b[rd.key]])
    c_rows = [["行政复议", "行政诉讼"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
              ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
              [str(v) for k in ("reconsideration", "litigation_direct", "litigation_after") for v in c[k]]]
    return a_rows, b_rows, c_rows


def is_figure(cell: str) -> bool:
    return cell.replace(".", "").isdigit()


def render_rows(shape: str, rows: list[list[str]]) -> str:
    if shape == "cell_per_line":
        return "\n".join(f"{cell} |" for row in rows for cell in row)
    if shape == "pipes":
        return "\n".join(f"| {cell} |" for row in rows for cell in row)
    if shape == "row_per_line":
        return "\n".join(" | ".join(row) + " |" for row in rows)
    if shape == "markdown":
        out = []
        for row in rows:
            out.append("| " + " | ".join(row) + " |")
            if not any(is_figure(x) for x in row):
                out.append("|" + "---|" * len(row))
        return "\n".join(out)
    if shape == "spaced":
        return " ".join(" ".join(row) for row in rows)
    if shape == "glued":  # crawler text: the figures of a row run together, labels glued on
        return "".join(" ".join(x for x in row if not is_figure(x)) + "".join(x for x in row if is_figure(x))
                       for row in rows)
    raise ValueError(shape)


def shaped_report(shape: str) -> str:
    a_rows, b_rows, c_rows = canonical_rows(SEED_A["002"], SEED_B["002"], SEED_C["002"])
    if shape == "glued":  # table C's figures stay spaced, as in corpus 008
        c_text = render_rows("glued", c_rows[:-1]) + " " + " ".join(c_rows[-1])
    else:
        c_text = render_rows(shape, c_rows)
    return "\n".join([
        "某区人民政府2024年度政府信息公开工作年度报告",
        "一、总体情况", "2024年,我区全年主动公开政府信息1639条。",
        "二、主动公开政府信息情况", render_rows(shape, a_rows),
        "三、收到和处理政府信息公开申请情况", render_rows(shape, b_rows),
        "四、政府信息公开行政复议、行政诉讼情况", c_text,
        "五、存在的主要问题及改进情况", "无。",
    ])


def shaped_html(rows_by_table: list[list[list[str]]]) -> str:
    body = ["<html><head><meta charset='utf-8'><title>某区人民政府2024年度政府信息公开工作年度报告</title></head><body>",
            "<h1>某区人民政府2024年度政府信息公开工作年度报告</h1><p>一、总体情况</p><p>无。</p>"]
    heads = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    for head, rows in zip(heads, rows_by_table):
        width = max(len(r) for r in rows)
        body.append(f"<p>{head}</p><table border='1'>")
        for row in rows:
            tds = "".join(f"<td>{x}</td>" for x in row[:-1])
            span = width - len(row) + 1
            tds += f"<td colspan='{span}'>{row[-1]}</td>" if span > 1 else f"<td>{row[-1]}</td>"
            body.append(f"<tr>{tds}</tr>")
        body.append("</table>")
    body.append("<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>")
    return "".join(body)


# ---------------------------------------------------------------------------
# The model and the review room
# ---------------------------------------------------------------------------


def queue_result(n: int, *, sha: str = "a" * 64, metric: str = "requests.new", model_version: str = "test-1",
                needs_review: bool = True, status: str = "unchecked") -> dict:
    """A check result (report-json.md shape, as JSON) with ``n`` claims to review, for the
    queue tests: review scores 0.3 0.4 0.5 0.6 0.7 0.3 …, numbers 100, 101 …"""
    claims = []
    for i in range(n):
        sentence = f"2024年，本机关共受理政府信息公开申请{100 + i}件，办结{90 + i}件。"
        number = str(100 + i)
        start = 300 + 40 * i
        claims.append({
            "id": f"C-{sha[:6]}-{i}", "text": f"共受理政府信息公开申请{number}件", "sentence": sentence,
            "section": "requests", "number_text": number, "value": 100 + i, "metric": metric,
            "confidence": 0.55, "review_score": 0.3 + (i % 5) / 10, "needs_review": needs_review,
            "status": status, "start": start, "end": start + 16, "num_start": start + 10, "num_end": start + 13,
        })  # fmt: skip
    return {
        "source": f"reports/{sha[:8]}.html", "sha256": sha, "reader_version": "0.1.0",
        "model_version": model_version,
        "report": {"title": "2024年某某区政府信息公开工作年度报告", "agency": "某某区人民政府", "year": 2024},
        "claims": claims, "findings": [],
    }  # fmt: skip


def claim_record(left, unit="件", **kw):
    """A claim record (the shape ``nlp.claims.claim_record`` gives) of a quantity after ``left``."""
    return {"kind": "quantity", "left": left, "left_tokens": list(left), "unit": unit, "value": 3, **kw}


RECORDS = [claim_record(left, unit) for left, unit in (
    ("收到政府信息公开申请", "件"), ("共收到依申请公开", "件"), ("受理申请", "件"), ("新收申请", "件"),
    ("申请行政复议", "件"), ("行政复议案件", "件"), ("收到行政复议", "件"), ("复议", "件"),
    ("主动公开政府信息", "条"), ("公开信息", "条"), ("发布政府信息", "条"), ("主动公开", "条"))]
RECORD_LABELS = ["requests.new"] * 4 + ["reconsideration.total"] * 4 + ["proactive.total"] * 4
