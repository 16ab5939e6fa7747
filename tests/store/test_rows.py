"""A result as store rows (``nlp.store.rows``): what a batch's worker makes outside SQL gives
the same store as saving the result, and the targets and version keys it names."""

from __future__ import annotations

from pathlib import Path

from batch.stores import dump
from nlp.store import Store, cell_target, claim_target, rows_of, version_key
from result_factory import make_result


def test_rows_made_apart_save_like_the_result(tmp_path: Path):
    result = make_result()
    rows = rows_of(result, checked_at="2026-01-01T00:00:00+00:00")
    assert rows.sha256 == result.document.sha256
    with Store(tmp_path / "a.sqlite") as a:
        a.save(result, checked_at="2026-01-01T00:00:00+00:00")
    with Store(tmp_path / "b.sqlite") as b:
        assert b.save_rows(rows) == result.document.sha256
    assert dump(tmp_path / "a.sqlite") == dump(tmp_path / "b.sqlite")


def test_targets_and_version_keys():
    assert cell_target("requests", "new", "total") != cell_target("requests", "new", "other")
    assert claim_target("C-1") != cell_target("C", "-", "1")
    assert version_key("0.10.0") > version_key("0.9.3") > version_key("0.1.0")


def test_rows_assessed_again_are_the_rows_of_the_new_result():
    """A batch's parent assesses a worker's result again with the history: the worker's rows
    made again for the new findings, checklist and unit are the rows of the new result."""
    from dataclasses import replace

    from nlp.schema import finding

    result = make_result()
    at = "2026-01-01T00:00:00+00:00"
    rows = rows_of(result, checked_at=at)
    extra = finding("crossyear.total.v1", "cross_year", "warning", "与上年不符", sha256=result.document.sha256,
                    locus="requests/new/total", evidence={"table": "requests", "row": "new", "col": "total"},
                    span=(3, 9))
    for again in (replace(result, findings=result.findings[1:] + [extra], checklist=[{"check": "x", "status": "fail"}],
                          unit={"key": "u", "name": "某某区"}),
                  replace(result, findings=[]),
                  result):
        assert rows.reassessed(again) == rows_of(again, checked_at=at)


def test_rows_assessed_again_keep_what_did_not_change():
    """Given the result the rows were made of, ``reassessed`` keeps its findings' rows when
    the findings encode the same (a checklist line changed) and the rows themselves when
    nothing changed: still the rows of the new result."""
    from dataclasses import replace

    result = make_result()
    at = "2026-01-01T00:00:00+00:00"
    rows = rows_of(result, checked_at=at)
    copied = [replace(f, evidence=dict(f.evidence)) for f in result.findings]  # equal, not the same objects
    lines = [dict(c, why="compared") for c in result.checklist] or [{"check": "x", "status": "pass"}]
    for again in (replace(result, findings=copied, checklist=lines),
                  replace(result, findings=copied, unit={"key": "u", "name": "某某区"}),
                  replace(result, findings=copied[1:]),
                  replace(result, findings=copied)):
        assert rows.reassessed(again, before=result) == rows_of(again, checked_at=at)
    assert rows.reassessed(replace(result, findings=copied), before=result) is rows
    assert result.findings, "the factory's result has findings to keep"
