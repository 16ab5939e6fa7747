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


def _rows_as_written_before(rows):
    """``rows`` as the store's writer before the compact encoder made them (9cf5929): the JSON
    result and the document's fields by ``json.dumps`` (``", "``, ``": "``), the offsets of its
    assessed fields in that text."""
    import json
    from dataclasses import replace

    from nlp.store.rows import ASSESSED

    def old(value):
        return json.dumps(value, ensure_ascii=False, default=str)

    data = json.loads(rows.result_json)
    keys = list(data)
    head = old({k: data[k] for k in keys[:len(keys) - len(ASSESSED)]})[:-1] + ", "
    findings = old(data["findings"])
    text = head + '"findings": ' + findings + "".join(f', "{k}": {old(data[k])}' for k in ASSESSED[1:]) + "}"
    assert text == old(data)
    report = rows.report[:12] + (text,) + rows.report[13:17] + (json.dumps(json.loads(rows.report[17]), ensure_ascii=False),)
    return replace(rows, report=report, assessed_at=len(head), findings_end=len(head) + len('"findings": ') + len(findings))


def test_a_store_written_before_the_compact_encoder_reads_reassesses_and_saves_right(tmp_path: Path):
    """Results stored by ``json.dumps`` (the store's writer before ``json_text``) read as
    they were; their cross-report findings replaced, and the report saved again, give what
    the compact encoder writes; rows made so and assessed again give the new rows' result."""
    import json
    from dataclasses import replace

    from nlp.schema import json_text
    from nlp.store._units import _replace_findings

    at = "2026-01-01T00:00:00+00:00"
    result = make_result()
    sha = result.document.sha256
    rows = rows_of(result, checked_at=at)
    old = _rows_as_written_before(rows)
    assert old.result_json != rows.result_json and ", " in old.result_json and json.loads(old.result_json) == json.loads(rows.result_json)
    with Store(tmp_path / "new.sqlite") as new:
        new.save_rows(rows)
    with Store(tmp_path / "old.sqlite") as store:
        store.save_rows(old)
        assert store.get_result(sha) == json.loads(rows.result_json)
        assert store.get_result_text(sha) == old.result_json
        assert store.get_document(sha) == result.document
        checks = {f.check for f in result.findings[:1]}
        lines = [c for c in result.checklist if c.get("check") in checks]
        store.replace_findings(sha, checks, [], lines)
        assert store.get_result_text(sha) == json_text(_replace_findings(json.loads(rows.result_json), checks, [], lines))
        store.save(result, checked_at=at)
    assert dump(tmp_path / "old.sqlite") == dump(tmp_path / "new.sqlite")
    extra = replace(result, findings=result.findings[1:], checklist=[{"check": "x", "status": "fail"}])
    for again, before in ((extra, None), (replace(result, checklist=[{"check": "x", "status": "pass"}]), result), (result, result)):
        got, want = old.reassessed(again, before), rows_of(again, checked_at=at)
        assert json.loads(got.result_json) == json.loads(want.result_json)
        assert got.findings == want.findings and got.cells == want.cells
        assert json.loads(got.result_json[got.assessed_at:got.findings_end].split(":", 1)[1]) == json.loads(want.result_json)["findings"]
