"""Scanned PDFs: the ruled grid found on a page image, the page turned straight, and (with the
OCR extra) text and cells read by RapidOCR, marked as OCR'd and uncertain. Without the extra, a
scan is E006, which names the extra."""

from __future__ import annotations

import io

import numpy as np
import pytest

from conftest import ROOT
from nlp.errors import XxgkError
from nlp.ingest import ingest, ocr

SCAN = ROOT / "tests" / "fixtures" / "printshop" / "008_pingtan_2022" / "report.scan.pdf"

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="needs the OCR extra: pip install '.[ocr]'")


def _ruled(width=600, height=300, rows=(20, 80, 140, 200), cols=(20, 200, 380, 560), merged=(0, 1)) -> np.ndarray:
    """A white page with a ruled grid; the cell at row ``merged[0]`` spanning columns 1 and 2
    (no rule between them there)."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (width, height), 245)
    d = ImageDraw.Draw(img)
    for y in rows:
        d.line([(cols[0], y), (cols[-1], y)], fill=20, width=2)
    for i, x in enumerate(cols):
        if i == 2:  # the rule between columns 1 and 2 stops under the merged cell
            d.line([(x, rows[1]), (x, rows[-1])], fill=20, width=2)
        else:
            d.line([(x, rows[0]), (x, rows[-1])], fill=20, width=2)
    d.text((60, 40), "label", fill=20)
    return np.asarray(img)


def test_ruled_grid_and_its_merged_cell_are_found():
    (cells,) = ocr.ruled_tables(_ruled())
    boxes = sorted((round(x0), round(top), round(x1), round(bottom)) for x0, top, x1, bottom in cells)
    assert len(boxes) == 8  # 3 rows x 3 columns, two of the first row merged
    assert (200, 20, 560, 80) in [(b[0] // 10 * 10, b[1] // 10 * 10, b[2] // 10 * 10, b[3] // 10 * 10) for b in boxes]


def test_a_turned_page_is_turned_back():
    from PIL import Image

    page = Image.fromarray(_ruled(width=900, height=600, rows=(40, 160, 280, 400), cols=(40, 300, 560, 820)))
    turned = np.asarray(page.rotate(0.4, resample=Image.BICUBIC, fillcolor=245))
    straight, angle = ocr.deskew(turned)
    assert abs(angle + 0.4) <= 0.05
    assert len(ocr.ruled_tables(straight)[0]) == 8


@pytest.mark.parametrize("read, cell", [("。", "0"), ("o。", "0"), ("1o", "10"), ("12", "12"), ("2.5", "2.5"), ("十", "十")])
def test_a_lone_zero_read_as_a_mark_is_a_zero(read, cell):
    assert ocr._figure_like(read) == cell


def test_a_scan_without_the_extra_is_e006_naming_it(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(XxgkError) as e:
        ingest(SCAN)
    msg = str(e.value)
    assert e.value.code == "E006" and "[ocr]" in msg and str(SCAN) in msg and "\n" not in msg


@pytest.mark.ocr
@needs_ocr
def test_a_scanned_page_is_read_by_ocr_and_marked(tmp_path):
    """One page of the print shop's scan (table C of 008), as an image-only PDF."""
    import pdfplumber
    from PIL import Image

    from nlp.checks import run_checks
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    with pdfplumber.open(str(SCAN)) as pdf:
        page = pdf.pages[-1]
        img = Image.open(io.BytesIO(page.images[0]["stream"].get_data()))
        img.load()
    one = tmp_path / "scan.pdf"
    img.save(one, "PDF", resolution=150)
    doc = ingest(one)
    assert doc.ocr_pages == (1,) and doc.ocr_spans and any("OCR" in w for w in doc.warnings)
    assert doc.is_ocr(doc.text.index("行政诉讼"))
    secs = find_sections(doc)
    t = parse_tables(doc, secs)
    assert t.review.to_json() == {"reconsideration": [0, 1, 1, 0, 2], "litigation_direct": [1, 0, 0, 0, 1],
                                  "litigation_after": [0, 0, 0, 0, 0]}
    assert all(c.ocr and c.uncertain for c in t.review.cells.values())
    found = run_checks(doc, secs, t)
    assert [f.check for f in found if f.kind == "ocr_cell"] == ["cells.ocr.v1"]
    assert not [f for f in found if f.check == "cells.uncertain.v1"]
