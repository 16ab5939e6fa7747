"""Tests of nlp/reconcile.py: claim statuses, review scores, settings, and the metric readings
they rely on.

Unit tests build Documents, Tables and Claims by hand (tests/builders.py; pure functions,
fast); the seed tests run the real stages and compare the claims with the hand-read facts of
seeds/EXPECTED.md. The findings made from the claims are tested in tests/checks/.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from builders import (
    B_002,
    C_002,
    b_row,
    claim_at,
    make_table,
    one_claim,
    only,
    reconcile_and_check as run,
    seed_result,
    tables_2021,
)
from nlp.config import Settings, settings
from nlp.errors import XxgkError
from nlp.metrics import LABELS, METRICS, reading_value
from nlp.reconcile import review_score
from nlp.schema import TABLE_A_2019, TABLE_A_2021, TABLE_B_2019, TABLE_C, TABLE_DEFS, Tables


# ---------------------------------------------------------------------------
# Claim statuses
# ---------------------------------------------------------------------------


def test_match_on_first_reading_has_no_reading_name():
    text = "收到依申请公开事项1件。"
    c = claim_at(text, "1", 1, "requests.new", unit="件")
    (out,), _ = run(text, [c], tables_2021({"new": b_row(1), "granted": b_row(1), "closed": b_row(1)}))
    assert out.status == "match"
    assert out.table_value == 1 and out.reading is None
    assert "本年新收" in out.evidence and "1" in out.evidence


def test_match_on_second_reading_names_it_and_shows_the_sum():
    text = "2024年,受理政府信息公开申请共110件,同意公开9件。"
    c = claim_at(text, "110", 110, "requests.received_all", unit="件")
    (out,), findings = run(text, [c], tables_2021(B_002, C_002))
    assert out.status == "match"
    assert out.reading is None  # new+carried_in is the first reading of received_all
    assert out.table_value == 110
    assert "100" in out.evidence and "10" in out.evidence and "110" in out.evidence
    # the same words classified as requests.new match on the related sum? no: related → ambiguous
    c2 = replace(c, metric="requests.new")
    (out2,), _ = run(text, [c2], tables_2021(B_002, C_002))
    assert out2.status == "ambiguous"
    assert out2.reading == "new+carried_in"
    assert "100" in out2.evidence and "110" in out2.evidence
    assert not only(findings, "claim_mismatch")


def test_match_on_a_later_reading_sets_reading():
    # received_all's readings: new+carried_in first, then new
    text = "共受理政府信息公开申请100件。"
    c = claim_at(text, "100", 100, "requests.received_all", unit="件")
    (out,), _ = run(text, [c], tables_2021(B_002, C_002))
    assert out.status == "match"
    assert out.reading == "new"
    assert out.table_value == 100


def test_group_subtotal_sums_its_rows():
    text = "同意不公开2件。"
    c = claim_at(text, "2", 2, "requests.denied", unit="件")
    (out,), _ = run(text, [c], tables_2021(B_002, C_002))
    assert out.status == "match" and out.table_value == 2
    assert "保护第三方合法权益" in out.evidence and "属于行政执法案卷" in out.evidence


def test_litigation_equal_to_a_part_is_ambiguous_with_both_figures():
    text = "申请行政复议12件,申请行政诉讼8件。"
    c1 = claim_at(text, "12", 12, "reconsideration.total", unit="件")
    c2 = claim_at(text, "8", 8, "litigation.total", unit="件")
    out, findings = run(text, [c1, c2], tables_2021(B_002, C_002))
    assert out[0].status == "match"
    assert out[1].status == "ambiguous"
    assert out[1].table_value == 12 and out[1].reading == "litigation_after"
    assert "8" in out[1].evidence and "12" in out[1].evidence and "4" in out[1].evidence
    (f,) = only(findings, "claim_ambiguous")
    assert f.check == "narrative.claim_ambiguous.v1" and f.severity == "warning"
    assert f.evidence["value"] == 8 and f.evidence["table_value"] == 12
    rel_values = {r["value"] for r in f.evidence["related_figures"]}
    assert {4, 8} <= rel_values
    assert f.span == (out[1].start, out[1].end)


def test_mismatch_shows_both_values_and_the_difference():
    text = "共出具答复书13份。"
    c = claim_at(text, "13", 13, "requests.closed", unit="份")
    b = {"new": b_row(12), "granted": b_row(12), "closed": b_row(12)}
    (out,), findings = run(text, [c], tables_2021(b))
    assert out.status == "mismatch"
    assert out.table_value == 12
    assert "13" in out.evidence and "12" in out.evidence and "+1" in out.evidence
    (f,) = only(findings, "claim_mismatch")
    assert f.check == "narrative.claim_mismatch.v1" and f.severity == "warning"
    assert f.evidence["value"] == 13 and f.evidence["table_value"] == 12
    assert f.evidence["figures"][0]["cells"][0]["row"] == "closed"


def test_2019_template_reading_and_related_figure():
    # 规范性文件 4 against the 2019 table A: made 3, published 3
    text = "规范性文件信息4条,占0.4%。"
    c = claim_at(text, "4", 4, "normative_docs.issued", unit="条")
    a = {"normative_docs": {"made": 3, "published": 3, "total": 5}}
    t = Tables(template="2019", active=make_table(TABLE_A_2019, a), requests=make_table(TABLE_B_2019, {}),
               review=make_table(TABLE_C, {}))
    (out,), _ = run(text, [c], t)
    assert out.status == "mismatch"
    assert out.table_value == 3 and "4" in out.evidence and "3" in out.evidence
    # equal to the related "published" but not to "made": ambiguous, naming the reading
    a2 = {"normative_docs": {"made": 2, "published": 4, "total": 5}}
    t2 = replace(t, active=make_table(TABLE_A_2019, a2))
    (out2,), _ = run(text, [c], t2)
    assert out2.status == "ambiguous" and out2.reading == "published"


def test_zero_in_words_naming_review_and_litigation_matches_all_zero_table_c():
    text = "已按时办理完毕。\n未收到政府信息公开行政复议、行政诉讼。"
    for metric in ("reconsideration.total", "litigation.total", "other"):
        c = claim_at(text, "未收到", 0, metric, source="zero_words")
        c = replace(c, text="未收到政府信息公开行政复议、行政诉讼", end=c.start + len("未收到政府信息公开行政复议、行政诉讼"))
        (out,), _ = run(text, [c], tables_2021({}, {}))
        assert out.status == "match", (metric, out.evidence)
        assert out.table_value == 0
        assert "行政复议" in out.evidence and "行政诉讼" in out.evidence


def test_zero_in_words_with_a_nonzero_figure_is_a_mismatch():
    text = "未收到行政复议和行政诉讼。"
    c = claim_at(text, "未收到", 0, "reconsideration.total", source="zero_words")
    (out,), findings = run(text, [c], tables_2021(B_002, C_002))
    assert out.status == "mismatch"
    assert "12" in out.evidence  # both C totals are non-zero
    assert only(findings, "claim_mismatch")


def test_zero_with_no_table_is_unchecked():
    text = "全年未收到依申请公开。"
    c = claim_at(text, "未收到", 0, "requests.new", source="zero_words")
    t = Tables(template="2021", empty_sections=("active", "requests", "review"))
    (out,), findings = run(text, [c], t)
    assert out.status == "unchecked"
    assert "没有表格" in out.evidence or "没有表B" in out.evidence
    assert not findings


def test_unchecked_reasons():
    text = "新增主动公开信息815条,收到申请5件。"
    c_unlinked = claim_at(text, "815", 815, "proactive.total", unit="条")
    c_linked = claim_at(text, "5", 5, "requests.new", unit="件")
    out, _ = run(text, [c_unlinked, c_linked], Tables(template="pre2019"))
    assert [c.status for c in out] == ["unchecked", "unchecked"]
    assert "2019年以前" in out[1].evidence
    out, _ = run(text, [c_unlinked, c_linked], Tables(template="2021", active=make_table(TABLE_A_2021, {})))
    assert "不在标准表格" in out[0].evidence
    assert out[1].status == "unchecked" and "表B" in out[1].evidence
    blank = tables_2021({"new": [None] * 7})
    (o,), _ = run(text, [c_linked], blank)
    assert o.status == "unchecked" and "空白" in o.evidence
    (o,), _ = run(text, [replace(c_linked, metric="no.such.metric")], blank)
    assert o.status == "unchecked" and "未知指标" in o.evidence


def test_unknown_template_uses_the_tables_own_template():
    text = "收到申请5件。"
    c = claim_at(text, "5", 5, "requests.new", unit="件")
    t = tables_2021({"new": b_row(5), "granted": b_row(5), "closed": b_row(5)}, template="unknown")
    (out,), _ = run(text, [c], t)
    assert out.status == "match"


def test_percentage_claim_is_never_compared_with_a_table():
    text = "予以公开率100%。"
    c = claim_at(text, "100", 100, "requests.granted", unit="%")
    (out,), _ = run(text, [c], tables_2021({"new": b_row(100), "granted": b_row(100), "closed": b_row(100)}))
    assert out.status == "unchecked"


def test_fees_in_yuan_are_converted_to_10k_yuan():
    text = "收取行政事业性收费34430000元。"
    c = claim_at(text, "34430000", 34430000, "fees.admin_10k_yuan", unit="元")
    (out,), _ = run(text, [c], tables_2021(a={"fees": [3443]}))
    assert out.status == "match" and out.table_value == 3443


def test_low_confidence_unmatched_is_ambiguous_but_a_match_stays_a_match():
    text = "办理申请13件。"
    b = {"new": b_row(12), "granted": b_row(12), "closed": b_row(12)}
    c = claim_at(text, "13", 13, "requests.closed", unit="件", confidence=0.3)
    (out,), findings = run(text, [c], tables_2021(b))
    assert out.status == "ambiguous" and "指标不确定" in out.evidence
    assert only(findings, "claim_ambiguous")
    c12 = replace(c, value=12, number_text="13")
    (out12,), _ = run(text, [c12], tables_2021(b))
    assert out12.status == "match"
    (o,), _ = run(text, [c], tables_2021(b), confidence_floor=0.2)
    assert o.status == "mismatch"


def test_approx_claim_statuses():
    b = {"new": b_row(66), "granted": b_row(66), "closed": b_row(66)}
    text = "全年受理申请近70件。"
    c = claim_at(text, "70", 70, "requests.new", unit="件", approx=True, qualifier="近")
    (out,), _ = run(text, [c], tables_2021(b))
    assert out.status == "approx_match" and out.table_value == 66
    assert "近70件" in out.evidence and "[59.5, 70]" in out.evidence
    b2 = {"new": b_row(50), "granted": b_row(50), "closed": b_row(50)}
    (out2,), _ = run(text, [c], tables_2021(b2))
    assert out2.status == "mismatch" and "约数" in out2.evidence
    # an approximate claim with no table figure is unchecked, never a mismatch
    c3 = replace(c, metric="proactive.part", unit="条")
    (out3,), _ = run(text, [c3], tables_2021(b2))
    assert out3.status == "unchecked"


def test_review_score_is_confidence_times_status_factor():
    assert review_score(0.9, "match") == pytest.approx(0.9)
    assert review_score(0.9, "approx_match") == pytest.approx(0.81)
    assert review_score(0.9, "unchecked") == pytest.approx(0.72)
    assert review_score(0.9, "mismatch") == pytest.approx(0.54)
    assert review_score(0.9, "ambiguous") == pytest.approx(0.27)
    assert review_score(1.7, "match") == 1.0


def test_needs_review_follows_the_threshold_keyword():
    text = "收到申请5件,办理6件。"
    b = {"new": b_row(5), "granted": b_row(5), "closed": b_row(5)}
    c_ok = claim_at(text, "5", 5, "requests.new", unit="件", confidence=0.9)
    c_bad = claim_at(text, "6", 6, "requests.closed", unit="件", confidence=0.9)
    out, _ = run(text, [c_ok, c_bad], tables_2021(b), threshold=0.6)
    assert (out[0].needs_review, out[1].needs_review) == (False, True)
    assert out[1].review_score == pytest.approx(0.54)
    out, _ = run(text, [c_ok, c_bad], tables_2021(b), threshold=0.5)
    assert (out[0].needs_review, out[1].needs_review) == (False, False)
    out, _ = run(text, [c_ok, c_bad], tables_2021(b), threshold=0.95)
    assert (out[0].needs_review, out[1].needs_review) == (True, True)


def test_the_threshold_and_floor_come_from_the_settings_passed_down():
    text = "收到申请5件,办理6件。"
    b = {"new": b_row(5), "granted": b_row(5), "closed": b_row(5)}
    c_ok = claim_at(text, "5", 5, "requests.new", unit="件", confidence=0.9)
    c_bad = claim_at(text, "6", 6, "requests.closed", unit="件", confidence=0.9)
    out, _ = run(text, [c_ok, c_bad], tables_2021(b), settings=Settings(review_threshold=0.5))
    assert (out[0].needs_review, out[1].needs_review) == (False, False)
    out, _ = run(text, [c_ok, c_bad], tables_2021(b), settings=Settings(review_threshold=0.95))
    assert (out[0].needs_review, out[1].needs_review) == (True, True)
    (o,), _ = run(text, [c_bad], tables_2021(b), settings=Settings(confidence_floor=0.95))
    assert o.status == "ambiguous"  # below the floor, no match: the metric is uncertain


def test_the_environment_is_read_when_reconcile_is_called(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no xxgk.toml here
    text = "收到申请5件,办理6件。"
    b = {"new": b_row(5), "granted": b_row(5), "closed": b_row(5)}
    c_ok = claim_at(text, "5", 5, "requests.new", unit="件", confidence=0.9)
    monkeypatch.setenv("XXGK_REVIEW_THRESHOLD", "0.95")
    (o,), _ = run(text, [c_ok], tables_2021(b))
    assert o.needs_review
    monkeypatch.setenv("XXGK_REVIEW_THRESHOLD", "0.5")
    (o,), _ = run(text, [c_ok], tables_2021(b))
    assert not o.needs_review
    monkeypatch.setenv("XXGK_REVIEW_THRESHOLD", "high")
    with pytest.raises(XxgkError) as err:
        run(text, [c_ok], tables_2021(b))
    assert err.value.code == "E040" and "XXGK_REVIEW_THRESHOLD='high'" in str(err.value)


def test_reconcile_returns_new_claims_and_leaves_the_input_alone():
    text = "收到申请5件。"
    c = claim_at(text, "5", 5, "requests.new", unit="件")
    out, _ = run(text, [c], tables_2021({"new": b_row(5), "granted": b_row(5), "closed": b_row(5)}))
    assert out[0] is not c and c.status == "unchecked" and out[0].status == "match"


def test_a_zero_of_an_unlinked_metric_is_unchecked_with_its_reason():
    text = "本年度我市没有产生信息公开处理费。"
    c = claim_at(text, "没有产生", 0, "processing_fees", source="zero_words")
    (out,), _ = run(text, [c], tables_2021())
    assert out.status == "unchecked" and "不在标准表格" in out.evidence


def test_numbers_inside_a_parsed_table_are_not_narrative():
    text = "收到申请5件。\n一、本年新收政府信息公开申请数量 713000074\n"
    t = tables_2021({"new": b_row(74, 71), "closed": b_row(74, 71), "granted": b_row(74, 71)})
    t = replace(t, requests=replace(t.requests, start=text.index("一、"), end=len(text)))
    c_table = claim_at(text, "713000074", 713000074, "requests.new", unit=None)
    c_prose = claim_at(text, "5", 5, "requests.new", unit="件")
    out, findings = run(text, [c_prose, c_table], t)
    assert out[0].status == "mismatch"
    assert out[1].status == "unchecked" and "表格" in out[1].evidence
    assert [f.evidence["claim_id"] for f in only(findings, "claim_mismatch")] == [c_prose.id]
    assert not only(findings, "inconsistent_totals")


def test_applicant_count_equal_to_new_plus_carried_is_ambiguous():
    text = "共受理政府信息公开申请749件,其中自然人申请741件。"
    b = {"new": b_row(713, 705), "carried_in": b_row(36), "closed": b_row(718, 710), "granted": b_row(718, 710),
         "carried_out": b_row(31)}
    c = claim_at(text, "741", 741, "requests.new.natural_person", unit="件")
    (out,), _ = run(text, [c], tables_2021(b))
    assert out.status == "ambiguous" and out.reading == "new+carried_in.natural_person"
    assert "705" in out.evidence and "36" in out.evidence


def test_mismatch_evidence_lists_the_related_figures():
    text = "规范性文件信息4条。"
    c = claim_at(text, "4", 4, "normative_docs.issued", unit="条")
    a = {"normative_docs": {"made": 3, "published": 2, "total": 5}}
    t = Tables(template="2019", active=make_table(TABLE_A_2019, a))
    (out,), _ = run(text, [c], t)
    assert out.status == "mismatch" and "本年新公开" in out.evidence and "2" in out.evidence


def test_organisations_count_is_a_related_figure_of_new_requests():
    text = "其中自然人申请 741 件,法人或其他组织申请 8 件。"
    b = {"new": [705, 6, 0, 1, 1, 0, 713], "carried_in": b_row(36), "closed": b_row(718, 710), "granted": b_row(718, 710)}
    c = claim_at(text, "8", 8, "requests.new", unit="件")
    (out,), _ = run(text, [c], tables_2021(b))
    assert out.status == "ambiguous" and out.reading == "new.organizations" and "713" in out.evidence


def test_an_all_zero_group_is_described_briefly():
    text = "不予公开0件。"
    c = claim_at(text, "0", 0, "requests.denied", unit="件")
    (out,), _ = run(text, [c], tables_2021({}))
    assert out.status == "match" and "8格均为0" in out.evidence


def test_a_claim_fitting_another_cut_of_glued_cells_is_ambiguous():
    text = "行政规范性文件本年制发88件。"
    a = {"normative_docs": {"issued": 8, "repealed": 855, "in_force": 698}}
    t = tables_2021(a=a)
    cells = dict(t.active.cells)
    for col in ("issued", "repealed", "in_force"):
        cell = cells[("normative_docs", col)]
        cells[("normative_docs", col)] = replace(cell, uncertain=True, note="glued")
    alt = {"table": "active", "cells": [["normative_docs", "issued"], ["normative_docs", "repealed"],
                                        ["normative_docs", "in_force"]],
           "chosen": [8, 855, 698], "options": [[88, 55, 698]]}
    t = replace(t, active=replace(t.active, cells=cells, alternatives=(alt,)))
    c = claim_at(text, "88", 88, "normative_docs.issued", unit="件")
    (out,), _ = run(text, [c], t)
    assert out.status == "ambiguous" and "88" in out.evidence and "读法不确定" in out.evidence
    c8 = replace(c, value=8)
    (out8,), _ = run(text, [c8], t)
    assert out8.status == "match" and "不确定" in out8.evidence
    c9 = replace(c, value=9)
    (out9,), _ = run(text, [c9], t)
    assert out9.status == "mismatch"


def test_every_reading_names_real_rows_and_columns():
    for m in METRICS.values():
        for r in m.readings + m.related:
            for template in r.templates:
                for table, row, col in r.cells:
                    d = TABLE_DEFS[(table, template)]
                    rows = [x for x in d.rows if x.key == row or x.parent == row]
                    assert rows, (m.key, r.name, template, row)
                    assert all(col in d.cols_of(x) for x in rows), (m.key, r.name, template, col)


def test_metric_keys_cover_the_claims_spec():
    for key in ("requests.new", "requests.carried_in", "requests.received_all", "requests.granted",
                "requests.partial", "requests.granted_and_partial", "requests.new.natural_person",
                "requests.denied", "requests.unavailable", "requests.not_processed", "requests.other",
                "requests.closed", "requests.carried_out", "reconsideration.total",
                "reconsideration.corrected", "litigation.total", "rules.issued", "normative_docs.in_force",
                "licensing.decisions", "penalty.decisions", "coercion.decisions", "fees.admin_10k_yuan",
                "proactive.total", "other", "not_a_claim"):
        assert key in LABELS
    assert METRICS["requests.new"].linked
    # 主动公开信息总数 is in no standard table; only the statistics table of a pre-2019 report has it
    assert [r.templates for r in METRICS["proactive.total"].readings] == [("pre2019",)]


def test_reading_value_sums_groups_and_respects_templates_and_blanks():
    t = tables_2021(B_002, C_002)
    assert reading_value(METRICS["requests.denied"].readings[0], t) == 2
    assert reading_value(METRICS["litigation.total"].readings[0], t) == 12
    assert reading_value(METRICS["requests.received_all"].readings[0], t) == 110
    # a 2019-only reading has no value in a 2021 report
    assert reading_value(METRICS["normative_docs.issued"].related[0], t) is None
    blank = tables_2021({**B_002, "carried_in": [None] * 7})
    assert reading_value(METRICS["requests.received_all"].readings[0], blank) is None
    assert reading_value(METRICS["requests.new"].readings[0], Tables(template="2021")) is None


# ---------------------------------------------------------------------------
# Seeds: the real stages, against EXPECTED.md
# ---------------------------------------------------------------------------


def test_seed_000():
    doc, tables, claims, findings = seed_result("000")
    assert one_claim(claims, 1, "依申请公开事项").status == "match"
    zero = [c for c in claims if c.value == 0 and ("行政复议" in c.text or "行政诉讼" in c.text)]
    assert zero and all(c.status == "match" for c in zero), [(c.text, c.status, c.evidence) for c in zero]
    near = one_claim(claims, 70, "财政信息")
    assert near.approx and near.status in ("approx_match", "unchecked")


def test_seed_001():
    doc, tables, claims, findings = seed_result("001")
    assert one_claim(claims, 12, "依申请公开").status == "match"
    reply = one_claim(claims, 13, "答复书")
    # a mismatch for a reviewer; "ambiguous" only when the classifier is unsure of the metric,
    # and then the evidence still states the difference
    assert reply.status in ("mismatch", "ambiguous") and reply.table_value == 12, reply.evidence
    assert reply.needs_review and "相差 +1" in reply.evidence
    assert any(f.evidence.get("claim_id") == reply.id for f in findings)
    norm = one_claim(claims, 4, "规范性文件")
    assert norm.status in ("mismatch", "ambiguous") and "3" in norm.evidence, (norm.metric, norm.evidence)


def test_seed_002():
    doc, tables, claims, findings = seed_result("002")
    received = one_claim(claims, 110, "受理")
    assert received.status == "match" and received.table_value == 110
    assert received.reading in (None, "new+carried_in") and "100" in received.evidence and "10" in received.evidence
    for value, words in ((9, "同意公开"), (11, "部分公开"), (2, "不公开"), (10, "结转下年度"), (12, "行政复议")):
        c = one_claim(claims, value, words)
        assert c.status == "match", (value, c.metric, c.evidence)
    lit = one_claim(claims, 8, "行政诉讼")
    assert lit.status in ("ambiguous", "mismatch") and "8" in lit.evidence and "12" in lit.evidence
    assert any(f.evidence.get("claim_id") == lit.id for f in findings)


def test_seed_003():
    doc, tables, claims, findings = seed_result("003")
    assert one_claim(claims, 1300).approx
    assert not [c for c in claims if c.status == "mismatch"]


def test_seed_004():
    doc, tables, claims, findings = seed_result("004")
    assert all(c.status == "unchecked" for c in claims)  # a 2016 report: no standard tables


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_claim_has_a_status_evidence_and_its_review_flag(prefix):
    doc, tables, claims, findings = seed_result(prefix)
    for c in claims:
        assert c.status in ("match", "approx_match", "mismatch", "ambiguous", "unchecked")
        assert c.evidence
        assert c.needs_review == (c.review_score < settings().review_threshold)


@pytest.mark.parametrize("lo, hi", [(0, None), (3, 40), (12, 13), (0, 0)])
def test_sentences_holding_a_word_are_those_of_sentence_spans_that_hold_it(lo, hi):
    from nlp.reconcile import sentence_spans, sentences_holding

    text = "未收取信息处理费。\n本年度收费0元！其他事项无。费用、收费均未发生？末句费"
    hi = len(text) if hi is None else hi
    walked = [(a, b) for a, b in sentence_spans(text, lo, hi) if "费" in text[a:b]]
    assert list(sentences_holding(text, lo, hi, "费")) == walked
    assert list(sentences_holding(text, lo, hi, "收费")) == [(a, b) for a, b in sentence_spans(text, lo, hi)
                                                               if "收费" in text[a:b]]
