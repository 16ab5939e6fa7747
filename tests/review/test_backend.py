"""The claim model as a Label Studio ML backend (nlp/review/backend.py).

Fast tests: ``predict`` on tasks built the way ``xxgk queue push`` builds them, from checks of
the bundled samples, and the HTTP routes over a real socket. The ``integration`` test connects
the backend to the real Label Studio of ``lsfixtures.ls_server`` and lets the server ask it for
a prediction when a task is opened.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from nlp.review import items, queue
from nlp.review.backend import EVENTS_FILE, ClaimsBackend, make_server
from nlp.review.label_config import METRIC, NOT_A_CLAIM, LabelConfig


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    return ClaimsBackend(data_dir=tmp_path_factory.mktemp("ml-events")).setup()


@pytest.fixture(scope="module")
def pushed_tasks(samples_dir, backend):
    """Every claim of the sample reports as the task push would import (with its prediction)."""
    from nlp.pipeline import Checker

    checker = Checker(backend.model)
    cfg = LabelConfig.load()
    tasks = []
    for path in sorted(samples_dir.glob("*.txt")):
        result = checker.check(path).to_json()
        tasks += [items.task_payload(it, cfg) for it in items.items_from_result(result, threshold=1.01)]
    assert tasks
    return tasks


@pytest.fixture()
def server(backend):
    srv = make_server(backend, 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _http(url: str, body=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_predictions_follow_the_label_config(backend, pushed_tasks):
    cfg = LabelConfig.load()
    preds = backend.predict([{"id": n, "data": t["data"]} for n, t in enumerate(pushed_tasks)])
    assert len(preds) == len(pushed_tasks)
    assert backend.model_version == getattr(backend.model, "version_")
    for p in preds:
        assert p["model_version"] == backend.model_version
        assert 0.0 <= p["score"] <= 1.0
        assert p["result"], "every pushed claim's number is found in its sentence"
        for r in p["result"]:
            assert r["from_name"] in cfg.controls and r["to_name"] == cfg.to_name
            if r["type"] == "choices":
                assert set(r["value"]["choices"]) <= set(cfg.metrics) | {NOT_A_CLAIM}
        metric = [r for r in p["result"] if r["from_name"] == METRIC]
        assert len(metric) == 1 and metric[0]["value"]["choices"][0] in cfg.metrics


def test_fresh_predictions_agree_with_the_check_by_the_same_model(backend, pushed_tasks):
    """Reading the task's sentence again gives the metric and value the whole report gave."""
    preds = backend.predict([t for t in pushed_tasks])
    assert [p["result"] for p in preds] == [t["predictions"][0]["result"] for t in pushed_tasks]


def test_a_task_that_is_not_ours_gets_an_empty_prediction(backend):
    (p,) = backend.predict([{"id": 1, "data": {"text": "hello"}}])
    assert p == {"result": [], "score": 0.0, "model_version": backend.model_version}


def test_fit_records_annotation_events_only(tmp_path):
    b = ClaimsBackend(data_dir=tmp_path)
    b.fit("ANNOTATION_CREATED", {"project": {"id": 3}, "annotation": {"id": 7, "task": 11, "result": []}})
    b.fit("TASKS_CREATED", {"project": {"id": 3}, "tasks": [{"id": 11}]})
    lines = [json.loads(x) for x in (tmp_path / EVENTS_FILE).read_text().splitlines()]
    assert [(r["event"], r["project"], r["task"], r["annotation"]) for r in lines] == [("ANNOTATION_CREATED", 3, 11, 7)]
    assert b.model is None  # recording an event loads and trains nothing


def test_the_backend_records_events_in_the_label_studio_server_data_folder(tmp_path, monkeypatch):
    from nlp.review.server import ServerConfig

    assert ClaimsBackend().data_dir == ServerConfig.from_env().data_dir  # the defaults
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XXGK_LS_DATA_DIR", "ls-data")  # relative: to the working folder, in both
    assert ClaimsBackend().data_dir == ServerConfig.from_env().data_dir == tmp_path / "ls-data"


def test_http_routes_answer_as_label_studio_expects(backend, pushed_tasks, server):
    status, body = _http(f"{server}/health")
    assert status == 200 and body["status"] == "UP"
    assert _http(f"{server}/")[0] == 200
    status, body = _http(f"{server}/setup", {"project": "1.1700000000", "schema": LabelConfig.load().xml,
                                             "hostname": "http://127.0.0.1:1", "access_token": "x"})
    assert (status, body) == (200, {"model_version": backend.model_version})
    tasks = [{"id": n, "project": 1, "data": t["data"]} for n, t in enumerate(pushed_tasks[:3])]
    status, body = _http(f"{server}/predict", {"tasks": tasks, "project": "1.1700000000",
                                               "label_config": "<View/>", "params": {"context": None}})
    assert status == 200 and len(body["results"]) == 3
    assert body["results"] == [t["predictions"][0] for t in pushed_tasks[:3]]
    status, _ = _http(f"{server}/webhook", {"action": "ANNOTATION_UPDATED", "project": {"id": 1},
                                             "annotation": {"id": 5, "task": 2}})
    assert status == 201
    assert _http(f"{server}/predict", b"{not json")[0] == 400
    assert _http(f"{server}/nowhere", {})[0] == 404


def test_the_server_bans_labelstudios_reserved_networks_but_loopback():
    """``nlp.review.server.BANNED_SUBNETS`` is Label Studio's own list (read from the installed source)
    less 127.0.0.0/8: the ML backend on 127.0.0.1 is reachable, nothing else is opened."""
    import ast

    from nlp.review import server as lsserver

    cfg = lsserver.ServerConfig.from_env()
    src = next(cfg.venv.glob("lib/python*/site-packages/label_studio/core/utils/io.py"), None)
    if src is None:
        pytest.skip("Label Studio is not installed (xxgk ls install)")
    fn = next(n for n in ast.walk(ast.parse(src.read_text())) if isinstance(n, ast.FunctionDef) and n.name == "validate_ip")
    theirs = next(ast.literal_eval(a.value) for a in ast.walk(fn)
                  if isinstance(a, ast.Assign) and getattr(a.targets[0], "id", "") == "default_banned_subnets")
    assert set(theirs) - set(lsserver.BANNED_SUBNETS) == {"127.0.0.0/8"}
    assert set(lsserver.BANNED_SUBNETS) <= set(theirs)


# ---------------------------------------------------------------------------
# against the real server
# ---------------------------------------------------------------------------


@pytest.mark.integration
def test_label_studio_gets_a_fresh_prediction_when_a_task_is_opened(ls_client, backend, pushed_tasks, server):
    cfg = LabelConfig.load()
    project = queue.ensure_project(ls_client, f"test ml {uuid.uuid4().hex[:10]}", cfg)
    task = pushed_tasks[0]
    ls_client.projects.import_tasks(id=project.id, request=[{"data": task["data"]}])  # no prediction
    (tid,) = [t.id for t in ls_client.tasks.list(project=project.id)]
    assert not list(ls_client.predictions.list(task=tid))

    ml = ls_client.ml.create(project=project.id, url=server, title="xxgk claims", is_interactive=False)
    assert ml.state == "CO", f"Label Studio could not reach the backend: {ml.error_message}"
    ls_client.tasks.get(id=tid)  # what the Data Manager does when a task without predictions opens

    preds = list(ls_client.predictions.list(task=tid))
    assert len(preds) == 1
    assert preds[0].model_version == backend.model_version
    assert preds[0].result == task["predictions"][0]["result"]
    assert preds[0].score == pytest.approx(task["predictions"][0]["score"])

    # an annotation reaches fit through the webhook Label Studio made for the backend
    ls_client.annotations.create(id=tid, result=task["predictions"][0]["result"])
    events = backend.data_dir / EVENTS_FILE
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        recs = [json.loads(x) for x in events.read_text().splitlines()] if events.exists() else []
        if any(r["event"] == "ANNOTATION_CREATED" and r["task"] == tid for r in recs):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"no ANNOTATION_CREATED event for task {tid} in {events}")


@pytest.mark.integration
def test_the_labelling_stream_replaces_an_old_models_prediction(ls_client, backend, pushed_tasks, server):
    """A task pushed with an older model's prediction, opened by *Label All Tasks* once the
    project pre-labels with the connected model, gets a prediction of the current model."""
    cfg = LabelConfig.load()
    project = queue.ensure_project(ls_client, f"test ml {uuid.uuid4().hex[:10]}", cfg)
    task = pushed_tasks[-1]
    old = {**task["predictions"][0], "model_version": "older-model", "score": 0.01}
    ls_client.projects.import_tasks(id=project.id, request=[{"data": task["data"], "predictions": [old]}])
    (tid,) = [t.id for t in ls_client.tasks.list(project=project.id)]

    ml = ls_client.ml.create(project=project.id, url=server, title="xxgk claims")
    assert ml.state == "CO", ml.error_message
    # Settings → Annotation: pre-label with the connected model (the project's model version
    # is the connection's title)
    ls_client.projects.update(id=project.id, model_version="xxgk claims", show_collab_predictions=True)
    assert {p.model_version for p in ls_client.predictions.list(task=tid)} == {"older-model"}
    ls_client.actions.create(id="next_task", project=project.id)  # what Label All Tasks asks for

    preds = {p.model_version: p for p in ls_client.predictions.list(task=tid)}
    assert set(preds) == {"older-model", backend.model_version}
    assert preds[backend.model_version].result == task["predictions"][0]["result"]
    assert preds[backend.model_version].score == pytest.approx(task["predictions"][0]["score"])
