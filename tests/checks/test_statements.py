"""The narrative's statements about requests and cases (nlp/checks/statements.py) and the share
that fits neither its count nor the table (narrative.share.v2): each on real sentences (the
seeds, data/corpus, data/pages) that fire, and near ones that stay quiet. Where a defect is
injected, the sentence around it is real; claims are built by hand (tests/builders.py) so that
each test isolates its check, and the seed tests run the real stages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from builders import (
    B_002,
    C_002,
    b_row,
    c_row,
    claim_at,
    context,
    only,
    read_report,
    reconcile_and_check as run,
    tables_2021,
)
from conftest import ROOT, seed_path
from nlp.checks import CHECKS
from nlp.checks.statements import one_column_of, outcome_statements

SEED_002 = seed_path("002").read_text("utf-8")
# seed 002 (太原市万柏林区 2024), its own sentence on the requests
S002 = ("2024年,受理政府信息公开申请共110件,同意公开9件,同意不公开2件,同意部分公开11件,结转下年度继续办理10件,"
        "申请行政复议12件,申请行政诉讼8件。")


def page(pid: str) -> str:
    return (ROOT / "data" / "pages" / f"{pid}.txt").read_text("utf-8")


def check(name: str, text: str, claims, tables=None):
    return run(text, claims, tables, checks=[name])


# ---------------------------------------------------------------------------
# narrative.one_column.v1
# ---------------------------------------------------------------------------


def _granted(value: int):
    text = S002.replace("同意公开9件", f"同意公开{value}件")
    return text, [claim_at(text, str(value), value, "requests.granted", unit="件")]


def test_a_total_that_is_the_natural_person_column():
    text, claims = _granted(7)  # table B 予以公开: 自然人 7, 商业企业 2, 总计 9
    out, found = check("narrative.one_column.v1", text, claims, tables_2021(B_002, C_002))
    assert out[0].status == "mismatch"
    (f,) = found
    assert f.kind == "one_column" and f.severity == "warning"
    assert "自然人" in f.message and "总计为 9" in f.message and "同意公开7件" in f.message
    assert f.evidence["column"] == "natural_person" and f.evidence["total_figure"]["value"] == 9


@pytest.mark.parametrize("value", [9, 8])
def test_the_total_itself_or_a_figure_of_no_column_is_not_one_column(value):
    text, claims = _granted(value)
    out, found = check("narrative.one_column.v1", text, claims, tables_2021(B_002, C_002))
    assert found == []
    assert one_column_of(out[0], tables_2021(B_002, C_002)) is None


def test_a_claim_equal_to_a_related_figure_is_not_one_column():
    # seed 002's own 申请行政诉讼8件: 8 is 复议后起诉 (a related figure); 1 + 7 维持 is a coincidence
    _, _, _, claims, findings = read_report(seed_path("002"))
    assert not only(findings, "one_column")
    lit = next(c for c in claims if c.metric == "litigation.total" and c.value == 8)
    assert lit.status == "ambiguous"


def test_seed_002_with_the_natural_person_column_for_the_total(tmp_path):
    p = tmp_path / "002.txt"
    p.write_text(SEED_002.replace("同意部分公开11件", "同意部分公开10件"), "utf-8")  # 部分公开: 自然人 10, 总计 11
    findings = read_report(p)[4]
    (f,) = only(findings, "one_column")
    assert f.evidence["claim"]["value"] == 10 and f.evidence["reading"] == "partial"


# ---------------------------------------------------------------------------
# narrative.review_outcome.v1
# ---------------------------------------------------------------------------

# data/pages p329 (朔州市政府办公室 2021), its own sentence
P329 = ("2021年,朔州市政府办公室共受理政府信息公开申请16件,均在法定期限内予以答复,涉及信息公开的行政复议0件,"
        "行政诉讼2件,均获维持,维护了市政府依法行政的良好形象。")


def outcome(text: str, c: dict):
    ctx = context(tables_2021(c=c), text=text)
    return CHECKS["narrative.review_outcome.v1"](ctx)


def test_all_upheld_while_a_case_is_pending():
    assert P329 in page("p329").replace("\n", "")
    c = {"litigation_direct": c_row(1, 0, 0, 1)}
    (f,) = outcome(P329, c)
    assert f.kind == "review_outcome" and "均获维持" in f.message and "尚未审结" in f.message
    assert f.evidence["rows"] == ["reconsideration", "litigation_direct", "litigation_after"]
    assert [x["col"] for x in f.evidence["cells"]] == ["pending"]


def test_all_upheld_while_a_case_was_corrected():
    (f,) = outcome(P329, {"litigation_after": c_row(1, 1, 0, 0)})
    assert "结果纠正" in f.message and f.evidence["cells"][0]["row"] == "litigation_after"


def test_all_upheld_as_table_c_shows_is_quiet():
    assert outcome(P329, {"litigation_direct": c_row(2, 0, 0, 0)}) == []


def test_the_statement_speaks_for_the_rows_its_sentence_names():
    # seed 002's table C: 复议 维持10 其他1 尚未审结1; 诉讼 直接起诉 尚未审结 2
    text = "2024年,申请行政复议12件,已全部办结并均获维持。"
    (f,) = outcome(text, C_002)
    assert f.evidence["rows"] == ["reconsideration"]
    text2 = "本年度行政诉讼案件无一败诉。"
    (g,) = outcome(text2, {"litigation_direct": c_row(1, 0, 1, 2)})
    assert g.evidence["statement"] == "won"
    assert outcome(text2, {"reconsideration": c_row(0, 1, 0, 0)}) == []  # 复议 corrected: not what it says


def test_no_correction_is_contradicted_only_by_corrections():
    text = "本年度共发生政府信息公开行政复议案件3件,未被纠错。"
    assert outcome(text, {"reconsideration": c_row(2, 0, 0, 1)}) == []
    (f,) = outcome(text, {"reconsideration": c_row(2, 1, 0, 0)})
    assert f.evidence["statement"] == "none_corrected"


def test_cumulative_or_last_years_outcomes_are_not_this_years():
    text = "自条例实施以来,我局涉及政府信息公开的行政复议、行政诉讼案件均获维持。"
    assert outcome_statements(text, [(0, len(text))]) == []
    assert outcome(text, {"reconsideration": c_row(0, 1, 0, 0)}) == []


# ---------------------------------------------------------------------------
# narrative.closed_rate.v1
# ---------------------------------------------------------------------------

# data/pages: “2022年受理政府信息依申请公开事项46件,办结44件” (a county 2022)
RECEIVED = "2022年受理政府信息依申请公开事项46件,办结{closed}件,办结率100%。"


def _rate_claims(text: str, closed: int):
    return [claim_at(text, "46", 46, "requests.received_all", unit="件"),
            claim_at(text, str(closed), closed, "requests.closed", unit="件"),
            replace(claim_at(text, "100%", 100, "other", unit="%"), number_text="100%")]


def test_closed_more_than_received_with_a_rate_of_100():
    text = RECEIVED.format(closed=48)
    (f,) = check("narrative.closed_rate.v1", text, _rate_claims(text, 48))[1]
    assert f.kind == "rate" and f.severity == "warning" and "多于受理" in f.message and "104.3%" in f.message


def test_closed_equal_to_received_is_quiet_and_fewer_is_the_rate_checks_own():
    text = RECEIVED.format(closed=46)
    assert check("narrative.closed_rate.v1", text, _rate_claims(text, 46))[1] == []
    text = RECEIVED.format(closed=44)  # the report's own figures: narrative.rate reads 44 / 46
    _, found = run(text, _rate_claims(text, 44), checks=["narrative.closed_rate.v1", "narrative.rate.v1"])
    assert [f.check for f in found] == ["narrative.rate.v1"]


# data/pages p102 and p343, their own sentences
P102 = "2024年,我办共收到公开政府信息申请1件,已全部答复,办结率100%。"
P343 = "政府信息公开申请的按时办结率为100%。"


def _rate_only(text: str):
    return [replace(claim_at(text, "100%", 100, "other", unit="%"), number_text="100%")]


def test_a_rate_of_100_while_table_b_carries_requests_over():
    assert P102.rstrip("。") in page("p102")
    b = {"new": b_row(3), "granted": b_row(1), "closed": b_row(1), "carried_out": b_row(2)}
    (f,) = check("narrative.closed_rate.v1", P102, _rate_only(P102), tables_2021(b))[1]
    assert f.severity == "info" and "结转下年度继续办理2件" in f.message
    b_done = {"new": b_row(1), "granted": b_row(1), "closed": b_row(1)}
    assert check("narrative.closed_rate.v1", P102, _rate_only(P102), tables_2021(b_done))[1] == []


def test_an_on_time_rate_or_letters_are_not_the_completion_of_requests():
    b = {"new": b_row(3), "granted": b_row(1), "closed": b_row(1), "carried_out": b_row(2)}
    assert check("narrative.closed_rate.v1", P343, _rate_only(P343), tables_2021(b))[1] == []
    p105 = "2024年共受理群众网上来访信件34件,办结36件,办结率100%。"  # p105's letters, 办结 raised
    claims = [claim_at(p105, "34", 34, "mailbox", unit="件"), claim_at(p105, "36", 36, "mailbox", unit="件"),
              replace(claim_at(p105, "100%", 100, "other", unit="%"), number_text="100%")]
    assert check("narrative.closed_rate.v1", p105, claims, tables_2021(b))[1] == []


# ---------------------------------------------------------------------------
# narrative.part_exceeds.v1
# ---------------------------------------------------------------------------

# data/pages: “2022年,我局收到政府信息公开申请5件,均为自然人网上申请,办结5件” (a department 2022)
P5 = "2022年,我局收到政府信息公开申请5件,均为自然人网上申请,办结5件。其中予以公开{granted}件,无法提供1件。"


def _part_claims(text: str, granted: int):
    return [claim_at(text, "5", 5, "requests.new", unit="件"), claim_at(text, "5", 5, "requests.closed", nth=1, unit="件"),
            claim_at(text, str(granted), granted, "requests.granted", nth=0 if granted != 5 else 2, unit="件"),
            claim_at(text, "1", 1, "requests.unavailable", unit="件")]


def test_a_part_larger_than_its_total_stated_elsewhere():
    text = P5.format(granted=6)
    (f,) = check("narrative.part_exceeds.v1", text, _part_claims(text, 6))[1]
    assert f.kind == "parts_sum" and "予以公开数 6件" in f.message and "办结(答复)数 5件" in f.message
    assert f.evidence["difference"] == 1


def test_a_part_within_its_total_is_quiet():
    text = P5.format(granted=4)
    assert check("narrative.part_exceeds.v1", text, _part_claims(text, 4))[1] == []


def test_a_total_whose_words_name_a_part_is_not_the_whole():
    # data/corpus 002 (沭阳县 2025): “其中自然人申请 741 件,法人或其他组织申请 8 件”, 8 labelled 本年新收
    text = "2025年,全县共收到政府信息公开申请 749 件,其中自然人申请 741 件,法人或其他组织申请 8 件。"
    claims = [claim_at(text, "741", 741, "requests.new.natural_person", unit="件"),
              claim_at(text, "8", 8, "requests.new", unit="件")]
    assert check("narrative.part_exceeds.v1", text, claims)[1] == []
    _, _, _, _, findings = read_report(ROOT / "data" / "corpus" / "002_shuyang_county_gov_2025.md")
    assert not [f for f in findings if f.check == "narrative.part_exceeds.v1"]


def test_last_years_total_is_not_this_years_whole():
    text = "2022年,我局收到政府信息公开申请8件,办结8件,予以公开6件。上年办结5件。"
    claims = [claim_at(text, "8", 8, "requests.new", unit="件"), claim_at(text, "8", 8, "requests.closed", nth=1, unit="件"),
              claim_at(text, "6", 6, "requests.granted", unit="件"), claim_at(text, "5", 5, "requests.closed", unit="件")]
    assert check("narrative.part_exceeds.v1", text, claims)[1] == []


# ---------------------------------------------------------------------------
# narrative.share.v2
# ---------------------------------------------------------------------------

# data/pages p018, its own sentence: 8 + 35 + 2 + 4 = 49, each share right
P018 = ("受理政府信息公开申请49件,其中,通过互联网提交表单申请形式8件,占16.3%;以信函形式申请35件,占71.4%;"
        "当面递交2件,占4.1%,传真4件,占8.2%。")


def _counts(text: str, numbers: list[str]):
    return [claim_at(text, n, int(n), "other", unit="件") for n in numbers]


def test_shares_right_against_their_list_are_quiet():
    assert P018 in page("p018").replace("\n", "")
    assert check("narrative.share.v2", P018, _counts(P018, ["49", "8", "35", "2", "4"]))[1] == []


def test_a_share_that_fits_neither_its_count_nor_the_table():
    text = P018.replace("占71.4%", "占61.4%")
    (f,) = check("narrative.share.v2", text, _counts(text, ["49", "8", "35", "2", "4"]))[1]
    assert f.check == "narrative.share.v2" and f.severity == "warning" and "35 / 49 = 71.4%" in f.message
    assert {t["against"] for t in f.evidence["tried"]} >= {"group", "whole"}


# data/pages p104, its own sentence: 6 of 12 is 50%
P104 = "2024年全县共受理依申请公开12件,予以公开及部分公开的有6件,占50%;无法提供的有6件,占50%。"


def test_a_share_of_the_narrative_total_that_is_right_is_quiet():
    assert P104.rstrip("。") in page("p104").replace("\n", "")
    claims = [claim_at(P104, "12", 12, "requests.received_all", unit="件"),
              claim_at(P104, "6", 6, "requests.granted_and_partial", unit="件"),
              claim_at(P104, "6", 6, "requests.unavailable", nth=1, unit="件")]
    assert check("narrative.share.v2", P104, claims)[1] == []


def test_a_share_that_fits_the_table_but_not_the_narrative_count():
    # the table says 予以公开 9 of 办结 36 = 25%: the share fits the table, though not 9 / 12
    text = "2024年全县共受理依申请公开12件,予以公开的有9件,占25%。"
    claims = [claim_at(text, "12", 12, "requests.received_all", unit="件"),
              claim_at(text, "9", 9, "requests.granted", unit="件")]
    b = {"new": b_row(36), "granted": b_row(9), "unavailable.not_held": b_row(27), "closed": b_row(36)}
    assert check("narrative.share.v2", text, claims, tables_2021(b))[1] == []
    (f,) = check("narrative.share.v2", text, claims)[1]  # without the table: 9 / 12 = 75%
    assert "9 / 12 = 75.0%" in f.message


def test_a_list_of_shares_written_to_add_up_to_100_may_round_one_the_other_way():
    # data/pages p114: 37 + 71 + 5 + 248 + 56 = 417; 56 / 417 = 13.4% written 14% so that the shares add up to 100
    text = ("在主动公开的信息中,机构职能类信息37条,占总体的比例为9%;法规文件类信息71条,占总体的比例为17%;"
            "规划计划类信息5条,占总体的比例为1%;行政职责类信息248条,占总体的比例为59%;业务动态类信息56条,占总体的比例为14%。")
    claims = [claim_at(text, n, int(n), "proactive.part", unit="条") for n in ("37", "71", "5", "248", "56")]
    assert check("narrative.share.v2", text, claims)[1] == []
    off = text.replace("占总体的比例为14%", "占总体的比例为16%")  # no longer adds up to 100 nor fits
    (f,) = check("narrative.share.v2", off, claims)[1]
    assert f.evidence["part"]["value"] == 56
