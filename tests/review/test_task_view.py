"""The task an annotator sees (issue 13 items 8 and 14), without a server: the status in
Chinese, the table figure the claim was compared with, the list's columns in order, a tab
name short enough to show whole."""

from __future__ import annotations

from nlp.review.items import TASK_COLUMNS, items_from_result, task_payload
from nlp.review.label_config import LabelConfig, build_label_config
from nlp.review.queue import REVIEW_VIEW
from result_factory import make_result


def _task(status: str = "ambiguous") -> dict:
    result = make_result(litigation_status=status).to_json()
    [item] = [i for i in items_from_result(result) if "行政诉讼" in i.text]
    return task_payload(item, LabelConfig.from_xml(build_label_config()))["data"]


def test_the_task_says_the_status_in_chinese_and_shows_the_table_figure():
    data = _task()
    assert "状态 需复核" in data["where"] and "ambiguous" not in data["where"]
    assert data["compared"] == "表格数值: 13  ·  依据: 行政诉讼 总计 4 + 9 = 13; 8 ≠ 13"
    assert (data["status_zh"], data["metric_zh"], data["table_value"]) == ("需复核", "行政诉讼数", 13)
    assert '<Text name="compared" value="$compared"/>' in build_label_config()


def test_the_task_list_shows_the_sentence_first_and_a_whole_tab_name():
    data = _task("mismatch")
    assert list(data)[: len(TASK_COLUMNS)] == list(TASK_COLUMNS) and TASK_COLUMNS[0] == "sentence"
    hidden = REVIEW_VIEW["hiddenColumns"]["explore"]
    assert not any(f"tasks:data.{k}" in hidden for k in TASK_COLUMNS)
    assert "tasks:data.item_id" in hidden and "tasks:annotations_results" in hidden
    assert len(REVIEW_VIEW["title"]) <= 8  # the Data Manager cuts a tab name at about nine characters
