"""The annotation queue's push and pull (nlp/review/queue.py; its commands in tests/cli/test_queue.py).

The ``integration`` tests run against the real Label Studio server of ``lsfixtures.ls_server``
with hand-made check results: push twice, a push cut by a stopped server, a changed prediction,
pull twice, annotations made through the API as an annotator would.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter

import pytest

from nlp.errors import XxgkError
from nlp.review import annotations, queue, server
from nlp.review._retry import RetryPolicy
from nlp.review.annotations import ANNOTATIONS_FILE
from nlp.review.items import QueueItem, items_from_result, prediction
from nlp.review.label_config import LabelConfig
from builders import queue_result


def items(n: int, **kw) -> list[QueueItem]:
    return items_from_result(queue_result(n, **kw))


def test_a_server_that_is_down_is_one_clear_line_without_the_token(tmp_path):
    from label_studio_sdk import LabelStudio

    url = f"http://127.0.0.1:{server.free_port()}"
    secret = "s3cret-token-" + uuid.uuid4().hex
    client = LabelStudio(base_url=url, api_key=secret, max_retries=0, timeout=2)
    with pytest.raises(XxgkError) as e:
        queue.push(items(2), client, retry=RetryPolicy(attempts=3, base_delay=0.01))
    msg = str(e.value)
    assert msg.startswith("E020") and url in msg and "3 tries" in msg and secret not in msg and "\n" not in msg


# ---------------------------------------------------------------------------
# against the real server
# ---------------------------------------------------------------------------


def _title() -> str:
    return f"test {uuid.uuid4().hex[:10]}"


def _tasks(client, title):
    project = queue.find_project(client, title)
    return list(client.tasks.list(project=project.id, fields="all", page_size=500))


def _item_counts(client, title) -> Counter:
    return Counter(t.data["item_id"] for t in _tasks(client, title))


@pytest.mark.integration
def test_push_twice_adds_no_duplicate(ls_client):
    title = _title()
    first = queue.push(items(30), ls_client, project_title=title, batch_size=7)
    assert (first.created, first.updated, first.unchanged) == (30, 0, 0)
    again = queue.push(items(35), ls_client, project_title=title, batch_size=7)
    assert (again.created, again.updated, again.unchanged) == (5, 0, 30)
    counts = _item_counts(ls_client, title)
    assert len(counts) == 35 and set(counts.values()) == {1}
    (view,) = ls_client.views.list(project=first.project_id)  # one review tab, lowest score first
    assert view.data["ordering"] == ["tasks:predictions_score"]


@pytest.mark.integration
def test_changed_prediction_updates_the_task_not_a_second_one(ls_client):
    title = _title()
    queue.push(items(4), ls_client, project_title=title)
    rep = queue.push(items(4, metric="requests.closed", model_version="test-2"), ls_client, project_title=title)
    assert (rep.created, rep.updated) == (0, 4)
    tasks = _tasks(ls_client, title)
    assert len(tasks) == 4
    for t in tasks:
        (pred,) = [p if isinstance(p, dict) else p.dict() for p in t.predictions]
        assert pred["model_version"] == "test-2" and pred["result"][0]["value"]["choices"] == ["requests.closed"]
    project = queue.find_project(ls_client, title)
    assert ls_client.projects.get(id=project.id).model_version == "test-2"

    # a push cut between adding the new prediction and deleting the old one is tidied up
    now = {it.item_id: it for it in items(4, metric="requests.closed", model_version="test-2")}
    t0 = tasks[0]
    same = prediction(now[t0.data["item_id"]], LabelConfig.load())
    ls_client.predictions.create(task=t0.id, project=project.id, **same)
    rep = queue.push(now.values(), ls_client, project_title=title)
    assert (rep.created, rep.updated, rep.unchanged) == (0, 0, 4)
    assert all(len(t.predictions) == 1 for t in _tasks(ls_client, title))


@pytest.mark.integration
def test_push_cut_by_a_stopped_server_ends_with_every_item_once(ls_server):
    cfg, info = ls_server
    client = server.connect(cfg, url=info.url)
    title = _title()
    todo = items(25)
    stopped = []

    def stop_after_first_batch(msg: str) -> None:
        if not stopped:
            stopped.append(msg)
            assert server.stop(cfg)

    try:
        with pytest.raises(XxgkError) as e:
            queue.push(todo, client, project_title=title, batch_size=10,
                       retry=RetryPolicy(attempts=2, base_delay=0.05), progress=stop_after_first_batch)  # fmt: skip
        token, _ = server.api_token(cfg)
        assert str(e.value).startswith("E020") and info.url in str(e.value) and token not in str(e.value)
        assert "import batch 2" in str(e.value)
    finally:
        server.start(cfg)  # same data folder and port
    assert len(_item_counts(client, title)) == 10
    rep = queue.push(todo, client, project_title=title, batch_size=10)
    assert (rep.created, rep.unchanged) == (15, 10)
    counts = _item_counts(client, title)
    assert len(counts) == 25 and set(counts.values()) == {1}


@pytest.mark.integration
def test_an_import_whose_answer_is_lost_is_not_sent_again(ls_server):
    """The server stores the batch but the answer never arrives (a timeout after the work):
    the retry reads the server first and does not import the batch a second time."""
    import httpx

    cfg, info = ls_server
    lost = []

    def lose_first_import_answer(response: httpx.Response) -> None:
        if response.request.method == "POST" and response.request.url.path.endswith("/import") and not lost:
            lost.append(response.request.url.path)
            raise httpx.ReadTimeout("answer lost", request=response.request)

    from label_studio_sdk import LabelStudio

    token, _ = server.api_token(cfg)
    client = LabelStudio(base_url=info.url, api_key=token, max_retries=0,
                         httpx_client=httpx.Client(timeout=60, event_hooks={"response": [lose_first_import_answer]}))  # fmt: skip
    title = _title()
    rep = queue.push(items(12), client, project_title=title, batch_size=5, retry=RetryPolicy(attempts=3, base_delay=0.05))
    assert lost and rep.created == 12
    counts = _item_counts(client, title)
    assert len(counts) == 12 and set(counts.values()) == {1}


def _choice(name, value):
    return {"from_name": name, "to_name": "sentence", "type": "choices", "value": {"choices": [value]}}


@pytest.mark.integration
def test_pull_writes_what_the_annotators_decided(ls_client, tmp_path):
    title = _title()
    queue.push(items(4), ls_client, project_title=title)
    tasks = sorted(_tasks(ls_client, title), key=lambda t: t.data["value"])
    t_fix, t_nac, t_ok, t_open = tasks
    fixed = ls_client.annotations.create(id=t_fix.id, result=[
        _choice("metric", "requests.received_all"),
        {"from_name": "value", "to_name": "sentence", "type": "number", "value": {"number": 1100}},
        {"from_name": "comment", "to_name": "sentence", "type": "textarea", "value": {"text": ["共受理含上年结转"]}},
    ])  # fmt: skip
    ls_client.annotations.create(id=t_nac.id, result=[_choice("not_a_claim", "not_a_claim")])
    ls_client.annotations.create(id=t_ok.id, result=[_choice("metric", "requests.new")])

    first = queue.pull(ls_client, tmp_path, project_title=title)
    assert first.added == 3
    recs = {r["task_id"]: r for r in (a.to_dict() for a in annotations.read(tmp_path / ANNOTATIONS_FILE))}
    assert set(recs) == {t_fix.id, t_nac.id, t_ok.id}  # the task nobody annotated is not there
    r = recs[t_fix.id]
    assert (r["metric"], r["value"], r["not_a_claim"], r["comment"]) == ("requests.received_all", 1100, False, "共受理含上年结转")
    assert (r["predicted_metric"], r["model_version"], r["item_id"]) == ("requests.new", "test-1", t_fix.data["item_id"])
    assert (r["sentence"], r["number_text"], r["start"], r["end"]) == (
        t_fix.data["sentence"], t_fix.data["number_text"], t_fix.data["start"], t_fix.data["end"])
    assert r["annotation_id"] == fixed.id and r["annotator"] and r["annotated_at"]
    assert recs[t_nac.id]["not_a_claim"] is True
    assert recs[t_ok.id]["metric"] == "requests.new" and recs[t_ok.id]["value"] == t_ok.data["value"]
    assert {k for k in r} >= {"task_id", "annotation_id", "item_id", "report_sha256", "source", "text", "sentence",
                              "number_text", "start", "end", "value", "metric", "not_a_claim", "comment",
                              "annotator", "annotated_at", "predicted_metric", "model_version"}  # fmt: skip

    assert queue.pull(ls_client, tmp_path, project_title=title).added == 0  # pulling twice adds nothing
    state = json.loads((tmp_path / queue.STATE_FILE).read_text(encoding="utf-8"))
    assert state["incremental_since"] and state["project_id"] == queue.find_project(ls_client, title).id

    ls_client.annotations.update(id=fixed.id, result=[_choice("metric", "requests.closed")])
    assert queue.pull(ls_client, tmp_path, project_title=title).added == 1  # the newer version
    records = annotations.read(tmp_path / ANNOTATIONS_FILE)
    assert len(records) == 4 and len({a.version for a in records}) == 4
    latest = {a.get("annotation_id"): a for a in annotations.latest(records)}  # one an item
    assert len(latest) == 3 and latest[fixed.id].metric == "requests.closed"
    assert queue.pull(ls_client, tmp_path, project_title=title, full=True).added == 0  # dedupe on a full read too

    # what the trainer reads: one label per claim, the latest version
    from nlp.model.dataset import load_annotations

    loaded = {(a["start"], a["end"]): a for a in load_annotations(tmp_path)}
    assert len(loaded) == 3
    assert loaded[(t_fix.data["start"], t_fix.data["end"])]["metric"] == "requests.closed"
    assert loaded[(t_nac.data["start"], t_nac.data["end"])]["metric"] == "not_a_claim"
