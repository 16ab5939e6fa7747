"""复核 and the decision form (issue 13 items 1, 2 and 4): the reviewer's typed comment and
choice survive a refused save; the name typed in the form is remembered; no decision is
chosen beforehand; the list goes page by page, each item names its report and shows its
evidence in words; a claim and the finding that reports it are decided once."""

from __future__ import annotations

from pathlib import Path

from nlp.store import Store
from result_factory import make_result
from webapp.helpers import decide, expand, open_page, run, sha_of, start


def _review_forms(at) -> list[str]:
    return [r.key[: -len("-decision")] for r in at.radio if r.key and r.key.startswith("decide-review-")]


def test_a_refused_save_keeps_the_comment_and_the_choice_and_the_form_asks_for_the_name(db: Path):
    sha = sha_of(db, "002")
    claim = next(c for c in Store(db).claims(sha) if "行政诉讼" in c["text"])
    form = f"decide-flagged-claim-{claim['id']}"
    at = expand(open_page(start(), "report", sha=sha), f"x-flagged-{claim['id']}")
    assert at.radio(key=f"{form}-decision").value is None  # nothing chosen beforehand (item 4)

    at = decide(at, form, "false_alarm", "表C两行相加为12,叙述只算了复议后起诉")
    assert Store(db).decisions() == []
    assert any("复核人" in w.value and "保留" in w.value for w in at.warning)
    assert at.radio(key=f"{form}-decision").value == "false_alarm"
    assert at.text_input(key=f"{form}-comment").value == "表C两行相加为12,叙述只算了复议后起诉"

    # the form itself asks for the name; saving remembers it for the session
    at.text_input(key=f"{form}-reviewer").set_value("赵复核")
    at.button(key=f"{form}-save").click()
    at = run(at)
    assert {d["reviewer"] for d in Store(db).decisions()} == {"赵复核"}
    assert at.sidebar.text_input(key="reviewer_input").value == "赵复核"
    assert any(s.value.startswith("已保存") for s in at.success)


def test_saving_without_a_choice_is_refused_and_keeps_the_comment(db: Path):
    sha = sha_of(db, "002")
    claim = next(c for c in Store(db).claims(sha) if "行政诉讼" in c["text"])
    form = f"decide-flagged-claim-{claim['id']}"
    at = expand(open_page(start(), "report", sha=sha), f"x-flagged-{claim['id']}")
    at.sidebar.text_input(key="reviewer_input").set_value("赵复核")
    at.text_input(key=f"{form}-comment").set_value("先记下")
    at.button(key=f"{form}-save").click()
    at = run(at)
    assert Store(db).decisions() == []
    assert any("请选择复核结论" in w.value for w in at.warning)
    assert at.text_input(key=f"{form}-comment").value == "先记下"


def test_review_items_name_their_report_show_evidence_in_words_and_twins_are_one_item(db: Path):
    store = Store(db)
    at = open_page(start(), "review")
    labels = [e.label for e in at.expander]
    assert all("【" in label and "】" in label for label in labels)
    assert any("【太原市万柏林区人民政府 2024年】" in label and "申请行政诉讼8件" in label for label in labels)
    # the claim and its twin finding (叙述…对应不明确) are one item
    sha = sha_of(db, "002")
    claim = next(c for c in store.claims(sha) if "行政诉讼" in c["text"])
    assert claim["finding_id"] and not any(claim["finding_id"] in (e.key or "") for e in at.expander)
    at = expand(at, f"x-review-claim-{claim['id']}")
    assert any(f"[{claim['title']}](/report?sha={sha})" in m.value and "samples/002_" in m.value for m in at.markdown)
    form = f"decide-review-claim-{claim['id']}"
    assert at.radio(key=f"{form}-decision").value is None
    at.sidebar.text_input(key="reviewer_input").set_value("钱复核")
    at = decide(run(at), form, "needs_follow_up", "请单位说明")
    decided = {(d["item_kind"], d["item_id"]) for d in store.decisions()}
    assert decided == {("claim", claim["id"]), ("finding", claim["finding_id"])}
    assert store.review_progress()["needs_follow_up"] == 2

    # a finding's evidence is words and figures, not JSON
    finding = next(f for f in store.findings(sha_of(db, "002"), only_to_review=True) if f["kind"] == "damaged_cell")
    at = expand(at, f"x-review-finding-{finding['id']}")
    assert not at.json
    assert any("表B 不予公开·属于四类过程性信息 · 其他 = 0(原文“00”)" in m.value for m in at.markdown)


def test_the_list_goes_page_by_page(tmp_path: Path, monkeypatch):
    """"共 34 项,显示前 30 项" with no way to the rest: now every item is on some page."""
    db = tmp_path / "many.sqlite"
    with Store(db) as store:
        for n in range(12):
            store.save(make_result(f"report-{n}", agency=f"第{n}区人民政府"))
        total = len(store.findings(only_to_review=True)) + len(store.claims(only_to_review=True)) - sum(
            1 for c in store.claims(only_to_review=True) if c["finding_id"])
    monkeypatch.setenv("XXGK_DB", str(db))
    assert total > 30
    at = open_page(start(), "review")
    assert at.caption[0].value == f"共 {total} 项,第 1/2 页: 第 1–30 项"
    first = [e.label for e in at.expander]
    assert len(first) == 30
    at.get("button_group")[0].set_value(2)
    at = run(at)
    second = [e.label for e in at.expander]
    assert len(second) == total - 30 and not set(first) & set(second)
    assert at.caption[0].value == f"共 {total} 项,第 2/2 页: 第 31–{total} 项"
