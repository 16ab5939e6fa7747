"""The one registry (nlp/checks/registry.py): names are stable (ids hang on them), every
check declares kinds with a Chinese name and the severities it gives, the defaults are the
latest versions, an unknown name is one error, and a run without claims skips the checks
that need them."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from builders import (
    SHA,
    b_row,
    claim_at,
    context,
    doc_of,
    good_a,
    good_b,
    good_c,
    reconcile_and_check,
    run_check,
    sections_of,
    tables_2021,
    tables_of,
)
from conftest import ROOT
from nlp.checks import CHECKS, DEFAULT_CHECKS, REGISTRY, NotAssessable, check_report, default_checks, register, run_checks
from nlp.checks.registry import unregister
from nlp.errors import XxgkError
from nlp.schema import KIND_ZH, finding

# The registered names, in order. Finding ids hang on these names (without the version):
# a name never changes once released; a new check is added here on purpose.
REGISTERED = [
    "table_b.row_sum.v1",
    "table_b.closed_total.v1",
    "table_b.balance.v1",
    "table_c.totals.v1",
    "table_a.values.v1",
    "stats.cumulative.v1",
    "stats.parts.v1",
    "cells.damaged.v1",
    "cells.blank.v1",
    "cells.uncertain.v1",
    "cells.label.v1",
    "cells.ocr.v1",
    "cells.derived.v1",
    "tables.missing.v1",
    "template.year.v1",
    "sections.problems_empty.v1",
    "sections.problems_empty.v2",
    "sections.fee.v1",
    "sections.outline.v1",
    "sections.period_blank.v1",
    "narrative.claim_mismatch.v1",
    "narrative.claim_ambiguous.v1",
    "narrative.parts_sum.v1",
    "narrative.rate.v1",
    "narrative.share.v1",
    "narrative.share.v2",
    "narrative.missing_number.v1",
    "narrative.inconsistent_totals.v1",
    "crossyear.carried_over.v1",
    "crossyear.in_force.v1",
    "crossyear.cumulative.v1",
    "crossyear.magnitude.v1",
    "editorial.enumeration.v1",
    "editorial.doubled_word.v1",
    "editorial.repeated_sentence.v1",
    "editorial.other_place.v1",
    "editorial.other_unit.v1",
    "editorial.year.v1",
    "editorial.copied_text.v1",
    "narrative.one_column.v1",
    "narrative.review_outcome.v1",
    "narrative.closed_rate.v1",
    "narrative.part_exceeds.v1",
    "crossunit.reissued.v1",
]
SUPERSEDED = ["sections.problems_empty.v1", "narrative.share.v1"]
"""Registered names a later version replaces in the default run (their ids carry over)."""
DEFAULTS = tuple(n for n in REGISTERED if n not in SUPERSEDED)


def test_the_registered_names_are_the_snapshot():
    assert list(REGISTRY) == REGISTERED
    assert list(CHECKS) == REGISTERED and DEFAULT_CHECKS == default_checks() == DEFAULTS


def test_every_check_declares_kinds_with_a_chinese_name_severities_and_a_docstring():
    for spec in REGISTRY.values():
        assert spec.kinds and all(k in KIND_ZH for k in spec.kinds), spec.name
        assert spec.severities and set(spec.severities) <= {"error", "warning", "info"}, spec.name
        assert spec.doc, spec.name


def test_every_snapshot_finding_is_of_a_kind_and_severity_its_check_declares():
    seen = 0
    for path in sorted((ROOT / "tests" / "snapshots" / "reports").glob("*.json")):
        for f in json.loads(path.read_text("utf-8")).get("findings", []):
            spec = REGISTRY[f["check"]]
            assert f["kind"] in spec.kinds and f["severity"] in spec.severities, (path.name, f["check"], f["kind"])
            seen += 1
    assert seen > 20


def test_register_rejects_unversioned_names_undeclared_kinds_and_twice_the_same_name():
    with pytest.raises(ValueError):
        register("table_b.row_sum", kind="table_arithmetic", severity="error", title="无版本")
    with pytest.raises(ValueError):
        register("x.y.v1", kind="table_arithmetic", severity="fatal", title="严重程度不明")
    with pytest.raises(ValueError):
        register("x.y.v1", kind="table_arithmetic", severity="error", title="需要不明", needs="the moon")
    with pytest.raises(ValueError):
        register("x.y.v1", kind="table_arithmetic", severity="error", title="")
    with pytest.raises(ValueError):
        register("table_b.row_sum.v1", kind="table_arithmetic", severity="error", title="重复")(lambda ctx: [])


def test_all_checks_quiet_on_a_correct_report():
    from builders import context

    t = tables_of(active=good_a(), requests=good_b(), review=good_c())
    for name in DEFAULT_CHECKS:
        if not {"history", "unit"} & set(REGISTRY[name].needs):
            try:
                assert run_check(name, t, claims=[]) == [], name
            except NotAssessable:
                pass  # no sections to read (五, 六, the outline)
    checked = check_report(context(t).doc, context(t).sections, t, [])
    assert {c["status"] for c in checked.checklist} <= {"pass", "not_assessable"}
    assert [c["check"] for c in checked.checklist] == list(DEFAULT_CHECKS)


def test_run_checks_runs_named_checks_and_rejects_unknown_names_with_one_error():
    doc, secs = doc_of("报告", sha=SHA), sections_of(2021)
    bad = tables_of(active=good_a(), requests=good_b(new=[2, 0, 0, 0, 0, 0, 1]), review=good_c())
    all_f = run_checks(doc, secs, bad)
    assert {f.check for f in all_f} >= {"table_b.row_sum.v1", "table_b.balance.v1"}
    only = run_checks(doc, secs, bad, names=["table_b.row_sum.v1"])
    assert [f.check for f in only] == ["table_b.row_sum.v1"]
    for name in ("no.such.v1", "narrative.nope.v1"):
        with pytest.raises(XxgkError) as err:
            run_checks(doc, secs, bad, names=[name])
        assert err.value.code == "E041" and name in str(err.value)


def test_a_run_without_claims_skips_the_checks_that_need_them():
    text = "发布新闻发布会类信息条,受理信件272封。"
    doc, secs, t = doc_of(text), sections_of(2021), tables_of()
    assert not [f for f in run_checks(doc, secs, t) if f.kind == "missing_number"]
    assert [f.kind for f in run_checks(doc, secs, t, claims=[]) if f.kind == "missing_number"] == ["missing_number"]
    assert all("claims" in REGISTRY[n].needs for n in REGISTRY if n.startswith("narrative."))


def test_the_confidence_floor_comes_from_the_context_settings():
    from nlp.config import Settings

    ctx = context(tables_of(), settings=Settings(confidence_floor=0.7))
    assert ctx.confidence_floor == 0.7


def test_narrative_checks_see_only_claims_outside_the_tables():
    text = "收到申请5件。\n一、本年新收政府信息公开申请数量 713000074\n"
    t = tables_2021({"new": b_row(74, 71), "closed": b_row(74, 71), "granted": b_row(74, 71)})
    t = replace(t, requests=replace(t.requests, start=text.index("一、"), end=len(text)))
    inside = claim_at(text, "713000074", 713000074, "requests.new")
    prose = claim_at(text, "5", 5, "requests.new", unit="件")
    assert context(t, text=text, claims=[prose, inside]).narrative == [prose]
    _, findings = reconcile_and_check(text, [prose, inside], t)
    assert [f.evidence["claim_id"] for f in findings if f.kind == "claim_mismatch"] == [prose.id]


def test_ids_are_stable_and_depend_on_report_and_locus():
    bad = tables_of(requests=good_b(granted=[1, 1, 0, 0, 0, 0, 1], partial=[0, 1, 0, 0, 0, 0, 0]))
    first = run_check("table_b.row_sum.v1", bad)
    again = run_check("table_b.row_sum.v1", bad)
    assert [f.id for f in first] == [f.id for f in again]
    assert len({f.id for f in first}) == 2  # two rows, two loci, two ids
    other_report = run_check("table_b.row_sum.v1", bad, sha="1" * 64)
    assert {f.id for f in other_report}.isdisjoint({f.id for f in first})


def test_a_new_version_becomes_the_default_and_its_findings_keep_their_ids():
    bad = tables_of(requests=good_b(granted=[1, 1, 0, 0, 0, 0, 1]))

    @register("table_b.row_sum.v2", kind="table_arithmetic", severity=("error", "warning"), title="测试用的第二版")
    def row_sum_v2(ctx):
        """Version 2 of the row sum (a test's)."""
        return [finding("table_b.row_sum.v2", f.kind, f.severity, f.message, sha256=ctx.sha256,
                        locus=f"requests:{f.evidence['parts'][0]['row']}", evidence=f.evidence)
                for f in CHECKS["table_b.row_sum.v1"](ctx)]

    try:
        defaults = default_checks()
        assert "table_b.row_sum.v2" in defaults and "table_b.row_sum.v1" not in defaults
        assert defaults.index("table_b.row_sum.v2") == 0  # the place of the first version
        (f1,) = run_check("table_b.row_sum.v1", bad)
        (f2,) = run_check("table_b.row_sum.v2", bad)
        assert f1.id == f2.id and f2.check == "table_b.row_sum.v2"
    finally:
        unregister("table_b.row_sum.v2")
    assert default_checks() == DEFAULTS


def test_the_old_store_decisions_name_only_registered_checks():
    """The committed store of an earlier version: every finding's check is still registered."""
    import sqlite3

    db = sqlite3.connect(f"file:{ROOT / 'tests' / 'fixtures' / 'store-v0.1.sqlite'}?mode=ro", uri=True)
    try:
        names = {r[0] for r in db.execute("SELECT DISTINCT check_name FROM findings")}
    finally:
        db.close()
    assert names and names <= set(REGISTRY), names - set(REGISTRY)



def test_the_checklist_says_pass_fail_or_not_assessable_and_why():
    doc, secs = doc_of("报告", sha=SHA), sections_of(2021)
    bad = tables_of(requests=good_b(new=[2, 0, 0, 0, 0, 0, 1]))
    lines = {c["check"]: c for c in check_report(doc, secs, bad).checklist}
    assert lines["table_b.row_sum.v1"]["status"] == "fail" and lines["table_b.row_sum.v1"]["findings"] == 1
    assert lines["table_b.row_sum.v1"]["worst"] == "error" and lines["table_b.row_sum.v1"]["title"]
    assert lines["table_b.closed_total.v1"]["status"] == "pass" and lines["table_b.closed_total.v1"]["why"] is None
    assert lines["table_c.totals.v1"] == lines["table_c.totals.v1"] | {"status": "not_assessable"}
    assert "表C" in lines["table_c.totals.v1"]["why"] or "复议" in lines["table_c.totals.v1"]["why"]
    assert lines["narrative.rate.v1"]["status"] == "not_assessable" and "数字" in lines["narrative.rate.v1"]["why"]
    assert lines["crossyear.carried_over.v1"]["status"] == "not_assessable"
    old = check_report(doc, sections_of(2016), tables_of("pre2019"), [])
    assert {c["check"]: c for c in old.checklist}["tables.missing.v1"]["status"] == "not_assessable"
