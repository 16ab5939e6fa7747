"""The print shop's fixtures (tests/fixtures/printshop, made by ``scripts/printshop.py``) and
the reader on them.

Every gold report is printed as a Word-style DOCX with the State Council template's merged
cells, a LibreOffice PDF and a scanned (image-only) PDF; ``manifest.json`` records the layout
each report was given (its "shape"). The first tests hold the fixtures to what they are meant
to be, from the files themselves; the last ones hold the reader to the issue's goals (cells
exact, no table-arithmetic finding on consistent tables): the scans with the OCR extra (marked
``ocr``), the .doc and .wps with LibreOffice (marked ``libreoffice``), skipped without them. Figures:
``.venv/bin/python scripts/variant_accuracy.py``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import GOLD, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "printshop"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
GOLD_FILES = sorted(GOLD.glob("*.json"))
REPORTS = sorted(MANIFEST["reports"])


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


variant_accuracy = _load("variant_accuracy")


def shape(report: str) -> dict:
    return MANIFEST["reports"][report]["shape"]


def gold(report: str) -> dict:
    return json.loads((FIXTURES / report / "gold.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# The fixtures are there, and came from today's gold
# ---------------------------------------------------------------------------


def test_every_gold_report_is_printed():
    assert GOLD_FILES
    for path in GOLD_FILES:
        d = FIXTURES / path.stem
        for name in ("report.docx", "report.pdf", "report.scan.pdf", "gold.json"):
            assert (d / name).is_file(), f"{d / name} missing: run scripts/printshop.py --out tests/fixtures/printshop"
        assert json.loads((d / "gold.json").read_text(encoding="utf-8")) == json.loads(
            path.read_text(encoding="utf-8")
        ), f"{path.name} changed since it was printed: run scripts/printshop.py again"
    assert set(REPORTS) == {p.stem for p in GOLD_FILES}


def test_one_word97_and_one_wps_file_are_printed():
    docs = [r for r in REPORTS if (FIXTURES / r / "report.doc").exists()]
    wps = [r for r in REPORTS if (FIXTURES / r / "report.wps").exists()]
    assert len(docs) == 1 and len(wps) == 1
    for path in (FIXTURES / docs[0] / "report.doc", FIXTURES / wps[0] / "report.wps"):
        data = path.read_bytes()
        assert data.startswith(bytes.fromhex("D0CF11E0A1B11AE1")), f"{path}: not an OLE2 compound file"
        assert "WordDocument".encode("utf-16-le") in data, f"{path}: no WordDocument stream"


# ---------------------------------------------------------------------------
# The DOCX: the template's merged cells
# ---------------------------------------------------------------------------


def _grid(table) -> dict[tuple[int, int], dict]:
    """The table's cells by (row, grid column) of their first column: text, gridSpan, vMerge
    ("restart", "continue" or None), as Word stores them."""
    from docx.oxml.ns import qn

    out = {}
    for r, tr in enumerate(table._tbl.findall(qn("w:tr"))):
        c = 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span_el = pr.find(qn("w:gridSpan")) if pr is not None else None
            vm_el = pr.find(qn("w:vMerge")) if pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vmerge = None if vm_el is None else (vm_el.get(qn("w:val")) or "continue")
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            out[(r, c)] = {"text": text, "span": span, "vmerge": vmerge}
            c += span
    return out


def _find(grid: dict, text: str) -> tuple[int, int]:
    hits = [k for k, v in grid.items() if v["text"] == text]
    assert len(hits) == 1, f"{text!r}: {len(hits)} cells"
    return hits[0]


def _rows_spanned(grid: dict, at: tuple[int, int]) -> int:
    """How many rows a vMerge starting at ``at`` covers."""
    r, c = at
    assert grid[at]["vmerge"] == "restart"
    n = 1
    while grid.get((r + n, c), {}).get("vmerge") == "continue":
        n += 1
    return n


@pytest.fixture(scope="module", params=REPORTS)
def printed_docx(request):
    import docx

    report = request.param
    d = docx.Document(str(FIXTURES / report / "report.docx"))
    tables = {}
    for t in d.tables:
        g = _grid(t)
        texts = {v["text"] for v in g.values()}
        key = "requests" if "申请人情况" in texts else "review" if "行政诉讼" in texts else "active"
        tables[key] = (t, g)
    return report, tables


def test_docx_table_b_has_the_template_merges(printed_docx):
    report, tables = printed_docx
    _, g = tables["requests"]
    rows = [k for k in gold(report)["table_requests"] if k != "columns"]
    assert g[_find(g, "申请人情况")]["span"] == 7
    assert g[_find(g, "法人或其他组织")]["span"] == 5
    note = next(k for k, v in g.items() if v["text"].startswith("（本列数据的勾稽关系"))
    assert g[note]["span"] == 3 and _rows_spanned(g, note) == 3
    assert _rows_spanned(g, _find(g, "自然人")) == 2
    # 三、本年度办理结果 down the first column over every result row (all but 一、二、四)
    assert _rows_spanned(g, _find(g, "三、本年度办理结果")) == len(rows) - 3
    # (三)…(六) down the second column over their numbered rows
    for group, label in (("不予公开", "（三）不予公开"), ("无法提供", "（四）无法提供"),
                         ("不予处理", "（五）不予处理"), ("其他处理", "（六）其他处理")):
        n = sum(1 for k in rows if k.startswith(group + "/"))
        if n:
            assert _rows_spanned(g, _find(g, label)) == n, label
    assert g[_find(g, "一、本年新收政府信息公开申请数量")]["span"] == 3
    assert g[_find(g, "四、结转下年度继续办理")]["span"] == 3
    for label in ("（一）予以公开", "（七）总计"):
        r, c = _find(g, label)
        if shape(report)["b_spacer"]:  # not merged: an empty cell of its own beside the label
            assert g[(r, c)]["span"] == 1 and g[(r, c + 1)]["text"] == ""
        else:
            assert g[(r, c)]["span"] == 2


def test_docx_table_b_header_rows_repeat_as_the_shape_says(printed_docx):
    from docx.oxml.ns import qn

    report, tables = printed_docx
    t, _ = tables["requests"]
    repeated = [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in t._tbl.tr_lst]
    want = 3 if shape(report)["b_header_repeat"] else 0
    assert sum(repeated) == want and all(repeated[:want])


def test_docx_tables_a_and_c_have_the_template_merges(printed_docx):
    report, tables = printed_docx
    _, a = tables["active"]
    assert a[_find(a, "第二十条第（一）项")]["span"] == 4
    r, _ = _find(a, "行政许可")
    assert a[(r, 1)]["span"] == 3  # one figure across the three value columns
    _, c = tables["review"]
    at = _find(c, "行政复议")
    assert c[at]["span"] == 5 and _rows_spanned(c, at) == 2
    assert c[_find(c, "行政诉讼")]["span"] == 10
    assert c[_find(c, "未经复议直接起诉")]["span"] == 5
    assert c[_find(c, "复议后起诉")]["span"] == 5


def test_docx_has_the_gold_figures_and_blanks(printed_docx):
    report, tables = printed_docx
    _, g = tables["requests"]
    want = gold(report)["table_requests"]["总计"]
    r, _ = _find(g, "（七）总计")
    got = [g[(r, 3 + j)]["text"] for j in range(7)]
    assert got == ["" if v is None else str(v) for v in want]


# ---------------------------------------------------------------------------
# The PDF and the scan
# ---------------------------------------------------------------------------


def _pages_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def _squeezed(text: str) -> str:
    """Text without whitespace: a label wrapped in its cell has the row's figures, not
    its own rest, after its first line, but its start stays whole."""
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_has_a_text_layer_with_the_tables(report):
    pages = _pages_text(FIXTURES / report / "report.pdf")
    text = _squeezed("\n".join(pages))
    assert len(text) > 1000
    for label in ("第二十条第（一）项", "一、本年新收", "四、结转下年度", "未经复议直接起诉"):
        assert label in text


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_table_b_runs_over_a_page_break_as_the_shape_says(report):
    pages = _pages_text(FIXTURES / report / "report.pdf")
    first = next(i for i, t in enumerate(pages) if "一、本年新收" in _squeezed(t))
    last = next(i for i, t in enumerate(pages) if "四、结转下年度" in _squeezed(t))
    if shape(report)["b_new_page"]:
        assert first == last
    else:
        assert last > first


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_footer_as_the_shape_says(report):
    pages = _pages_text(FIXTURES / report / "report.pdf")
    last_lines = [t.strip().splitlines()[-1].strip() for t in pages]
    kind = shape(report)["footer"]
    n = len(pages)
    want = {
        "dash": [f"— {i} —" for i in range(1, n + 1)],
        "of_pages": [f"第 {i} 页 共 {n} 页" for i in range(1, n + 1)],
        "plain": [str(i) for i in range(1, n + 1)],
    }.get(kind)
    if want is None:
        assert not any(re.fullmatch(r"\D{0,4}\d{1,2}\D{0,6}", ln) for ln in last_lines)
    else:
        assert last_lines == want


@pytest.mark.parametrize("report", REPORTS)
def test_scan_is_images_only_one_grayscale_jpeg_a_page(report):
    import pdfplumber

    with pdfplumber.open(str(FIXTURES / report / "report.pdf")) as pdf:
        n_pages = len(pdf.pages)
    with pdfplumber.open(str(FIXTURES / report / "report.scan.pdf")) as scan:
        assert len(scan.pages) == n_pages
        for page in scan.pages:
            assert not page.chars, "a scan has no text layer"
            (img,) = page.images
            assert str(img["stream"].get("Filter")).endswith("DCTDecode'")
            assert "DeviceGray" in str(img["colorspace"])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_libreoffice_takes_the_wps_for_a_word97_file_and_keeps_its_tables(tmp_path):
    """The .wps is read by LibreOffice's own type detection (no filter forced) as Word 97, the
    way it opens a Kingsoft WPS Writer file, and comes back with table B's figures."""
    import docx

    (report,) = [r for r in REPORTS if (FIXTURES / r / "report.wps").exists()]
    src = tmp_path / "report.wps"
    shutil.copyfile(FIXTURES / report / "report.wps", src)
    res = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx", "--outdir", str(tmp_path / "out"), str(src)],
        capture_output=True, text=True, timeout=300, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    out = tmp_path / "out" / "report.docx"
    assert out.exists(), res.stdout + res.stderr
    with zipfile.ZipFile(out) as z:
        assert "word/document.xml" in z.namelist()
    (t,) = [t for t in docx.Document(str(out)).tables if "申请人情况" in {v["text"] for v in _grid(t).values()}]
    g = _grid(t)
    r, _ = _find(g, "（七）总计")
    figures = [v["text"] for (rr, _), v in sorted(g.items()) if rr == r][-7:]
    assert figures == ["" if v is None else str(v) for v in gold(report)["table_requests"]["总计"]]


# ---------------------------------------------------------------------------
# The reader on the variants (the goals). The scans need the OCR extra (marked ocr,
# skipped without it: minutes of OCR); the .doc and .wps need LibreOffice.
# ---------------------------------------------------------------------------


def _case(report: str, variant: str):
    from nlp.ingest import ocr
    from nlp.ingest.office import soffice

    marks = []
    if variant == "scan":
        marks += [pytest.mark.ocr, pytest.mark.skipif(not ocr.available(), reason="needs the OCR extra")]
    if variant in ("doc", "wps"):
        marks += [pytest.mark.libreoffice, pytest.mark.skipif(soffice() is None, reason="needs LibreOffice")]
    return pytest.param(report, variant, marks=marks, id=f"{report}-{variant}")


_READ: dict = {}


def reading(report: str, variant: str):
    """The variant read and measured (once; the scans take OCR's time)."""
    key = (report, variant)
    if key not in _READ:
        path = FIXTURES / report / variant_accuracy.FILES[variant]
        _READ[key] = variant_accuracy.read_variant(path, gold(report), report, variant)
    return _READ[key]


VARIANTS = [(r, v) for r in REPORTS for v in ("docx", "pdf", "scan", "doc", "wps")
            if (FIXTURES / r / variant_accuracy.FILES[v]).exists()]


@pytest.mark.parametrize(("report", "variant"), [_case(r, v) for r, v in VARIANTS])
def test_reader_gets_the_cells_exact(report, variant):
    r = reading(report, variant)
    assert r.error is None, f"{report} {variant}: {r.error}"
    goal = 0.95 if variant == "scan" else 0.99
    assert r.equal / r.total >= goal, r.diffs[:10]


@pytest.mark.parametrize(("report", "variant"), [_case(r, v) for r, v in VARIANTS if v != "scan"])
def test_reader_raises_no_table_arithmetic_finding_on_consistent_tables(report, variant):
    r = reading(report, variant)
    assert r.error is None
    assert not r.arithmetic


# ---------------------------------------------------------------------------
# One test per hard shape (issue 9), on the printed files
# ---------------------------------------------------------------------------

VARIANT_DIR = FIXTURES / "variants"


def _read(path: Path):
    from nlp.checks import run_checks
    from nlp.ingest import ingest
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    doc = ingest(path)
    secs = find_sections(doc)
    tables = parse_tables(doc, secs)
    return doc, tables, run_checks(doc, secs, tables)


def _variant_gold(name: str) -> dict:
    return json.loads((VARIANT_DIR / name / "gold.json").read_text(encoding="utf-8"))


def _read_variant(name: str, variant: str) -> tuple:
    """A constructed variant read and checked: (tables, findings, its gold table B)."""
    _, t, found = _read(VARIANT_DIR / name / f"report.{variant}")
    return t, found, _variant_gold(name)["table_requests"]


@pytest.mark.parametrize("variant", ["docx", "pdf"])
def test_shape_merged_label_cells_and_spacers(variant):
    """008: (一)(二)(七) beside an empty cell of their own; the others merged across columns."""
    (report,) = [r for r in REPORTS if shape(r)["b_spacer"]]
    _, t, found = _read(FIXTURES / report / f"report.{variant}")
    want = gold(report)["table_requests"]
    assert t.requests.row_values("closed") == want["总计"]
    assert t.requests.row_values("granted") == want["予以公开"]
    assert not [f for f in found if f.kind == "table_arithmetic"]


@pytest.mark.parametrize("report", [r for r in REPORTS if not shape(r)["b_new_page"]])
def test_shape_table_across_pages(report):
    """Table B continued on the next page, header repeated or not, a row cut by the break or not."""
    _, t, found = _read(FIXTURES / report / "report.pdf")
    rows = {k: v for k, v in gold(report)["table_requests"].items() if k != "columns"}
    assert sum(1 for r in t.requests.definition.rows if t.requests.has_row(r.key)) == len(rows)
    assert t.requests.row_values("unavailable.needs_creation") == rows["无法提供/2.没有现成信息需要另行制作"]
    assert not [f for f in found if f.kind == "table_arithmetic"]


@pytest.mark.parametrize("variant", ["docx", "pdf"])
def test_shape_misprinted_label(variant):
    t, found, want = _read_variant("misprinted_label", variant)
    cell = t.requests.cells[("unavailable.not_held", "total")]
    assert cell.value == want["无法提供/1.本机关不掌握相关政府信息"][-1]
    assert cell.label.endswith("本机关不掌握政府信息") and cell.label_distance == 2
    labels = [f for f in found if f.check == "cells.label.v1"]
    assert {f.evidence["row"] for f in labels} == {"unavailable.not_held", "denied.law_forbidden"}
    assert not [f for f in found if f.kind == "table_arithmetic"]


@pytest.mark.parametrize("variant", ["docx", "pdf"])
def test_shape_hybrid_template(variant):
    t, found, _ = _read_variant("hybrid", variant)
    assert t.template == "hybrid" and t.templates() == {"active": "2021", "requests": "2019"}
    assert t.active.value("licensing", "decisions") is not None  # table A read in its own (2021) form
    assert t.requests.definition.template == "2019" and t.requests.has_row("other")
    assert not [f for f in found if f.check == "template.year.v1"]
    assert not [f for f in found if f.kind == "table_arithmetic"]


@pytest.mark.parametrize("variant", ["docx", "pdf"])
def test_shape_blank_total_column(variant):
    t, found, want = _read_variant("blank_total", variant)
    cell = t.requests.cells[("new", "total")]
    assert cell.derived and cell.raw == "" and cell.value == want["本年新收"][-1]
    assert t.requests.row_values("closed") == want["总计"]
    (derived,) = [f for f in found if f.check == "cells.derived.v1"]
    assert len(derived.evidence["cells"]) == len([k for k in want if k != "columns"])
    assert not [f for f in found if f.kind == "table_arithmetic"]


@pytest.mark.parametrize("name", ["misprinted_label", "hybrid", "blank_total"])
@pytest.mark.parametrize("variant", ["docx", "pdf"])
def test_variants_cells_exact(name, variant):
    r = variant_accuracy.read_variant(VARIANT_DIR / name / f"report.{variant}", _variant_gold(name), name, variant)
    assert r.error is None and r.equal == r.total, r.diffs[:10]
