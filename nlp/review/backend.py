"""The claim model as a Label Studio ML backend: a task opened in the UI gets a fresh prediction.

    ClaimsBackend(label_config, model, data_dir)   setup() / predict(tasks) / fit(event, data)
    make_app(backend) -> FastAPI                       the routes Label Studio 1.23.2 calls
    make_server(backend, port) -> Server               that app on uvicorn (nlp.service.server)
    serve(port, data_dir)                              what ``xxgk ls backend`` runs

The protocol is label-studio-ml-backend's (``label_studio_ml/api.py``), served on the
project's one web stack (FastAPI on uvicorn, as ``xxgk serve``) rather than that package (its
PyPI release would downgrade Flask/Jinja here):

- ``GET /health`` and ``GET /``: ``{"status": "UP", "model_class": …, "model_version": …}``;
- ``POST /setup`` (``project``, ``schema``, ``access_token`` …): ``{"model_version": …}``;
  Label Studio calls it before predicting and skips tasks that already hold a prediction of
  that version;
- ``POST /predict`` (``tasks``, ``project``, ``label_config``, ``params``):
  ``{"results": [prediction per task, in order], "model_version": …}``;
- ``POST /webhook`` (``action`` plus the event's payload): ``fit(action, payload)``, which
  records an annotation event in ``ml-events.jsonl`` for ``xxgk model train``; nothing is
  trained inside the request.

A task is one of our pushed tasks (``nlp.review.items.task_payload``): its sentence is read again by
the claims pipeline (``nlp.claims.load_nlp``) with the loaded model, the quantity at the
task's number gets a metric and a confidence, and ``nlp.review.items.prediction`` builds the result
with the control names of ``annotations/label_config.xml``. The server binds 127.0.0.1 only.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from fastapi import Request  # resolved by FastAPI from this module's names (annotations are strings)

from nlp.config import settings
from nlp.review.items import QueueItem, prediction
from nlp.review.label_config import LabelConfig

HOST = "127.0.0.1"
EVENTS_FILE = "ml-events.jsonl"
TRAIN_EVENTS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATION_DELETED", "START_TRAINING")


class ClaimsBackend:
    """The claim classifier behind Label Studio's ML backend protocol.

    Parameters
    ----------
    label_config : LabelConfig or None
        The labelling config whose control names the results carry (default: the XML in
        ``annotations/``).
    model : spec for ``nlp.claims.load_model`` (None = the ``model`` setting, the bundled
        skops model; ``"rules"`` for the rules).
    data_dir : Path or None
        Where ``fit`` appends the events it receives (``ml-events.jsonl``); default: the
        ``ls_data_dir`` setting, the same folder as the Label Studio server's.
    """

    def __init__(self, label_config: Optional[LabelConfig] = None, model: Any = None,
                 data_dir: Optional[Path] = None) -> None:
        self.label_config = label_config
        self.model_spec = model
        self.data_dir = Path(data_dir or settings().ls_data_dir).resolve()
        self.model: Any = None
        self.model_version = ""
        self._nlp: Any = None
        self._lock = threading.Lock()

    def setup(self) -> "ClaimsBackend":
        """Load the config, the model (once per instance) and the claims pipeline."""
        from nlp.claims import load_model, load_nlp

        with self._lock:
            if self.model is None:
                self.label_config = self.label_config or LabelConfig.load()
                self.model = load_model(self.model_spec)
                self.model_version = str(getattr(self.model, "version_", None) or type(self.model).__name__)
                self._nlp = load_nlp()
        return self

    def predict(self, tasks: list[dict[str, Any]], context: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        """One prediction per task, in order: ``{"result", "score", "model_version"}``.

        The score is the queue's (``nlp.review.items.queue_score``) of the review score
        (``nlp.reconcile.review_score``) of the fresh confidence and the task's status when the
        metric is unchanged, else of ``unchecked``: sorting by it, lowest first, keeps the
        queue's order. A task whose number is
        not found in its sentence gets an empty result with score 0. ``context`` (interactive
        pre-annotation) is not used: the claim is the task.
        """
        from nlp.reconcile import review_score

        self.setup()
        out = []
        for task in tasks:
            item = _item(task.get("data") or {}, self.model_version)
            found = self._classify(item) if item is not None else None
            if found is None:
                out.append({"result": [], "score": 0.0, "model_version": self.model_version})
                continue
            metric, conf = found[0], round(found[1], 4)  # rounded as a Claim's confidence is
            status = item.status if metric == item.metric else "unchecked"
            fresh = dataclasses.replace(item, metric=metric, confidence=conf, review_score=review_score(conf, status))
            out.append(prediction(fresh, self.label_config))
        return out

    def _classify(self, item: QueueItem) -> Optional[tuple[str, float]]:
        """``(metric, confidence)`` of the claim at the item's number, read in its sentence."""
        from nlp.claims import CLAIMS_KEY

        sentence, at = item.sentence, -1
        if item.text and item.text in sentence and item.num_start is not None:
            at = sentence.find(item.text) + (item.num_start - item.start)
        if not (0 <= at < len(sentence)) or not sentence.startswith(item.number_text, at):
            at = sentence.find(item.number_text) if item.number_text else -1
        if at < 0:
            return None
        with self._lock:  # jieba and the pipeline are shared by the server's threads
            doc = self._nlp.make_doc(sentence)
            doc.user_data["xxgk_section"] = item.section
            doc = self._nlp(doc, component_cfg={"xxgk_metric_classifier": {"model": self.model, "keep_not_claims": True}})
        spans = [s for s in doc.spans[CLAIMS_KEY] if s.start_char <= at < s.end_char]
        if not spans:
            return None
        best = next((s for s in spans if s.label_ == item.metric), spans[0])
        return best.label_, float(best._.xxgk_confidence)

    def fit(self, event: str, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Record an annotation event for ``xxgk model train``; no training here.

        Appends ``{event, at, project, task, annotation}`` (ids only, no annotation content,
        no user) to ``data_dir/ml-events.jsonl``. Other events are acknowledged and ignored.
        """
        if event not in TRAIN_EVENTS:
            return {"recorded": False}
        ann = data.get("annotation") or {}
        project = data.get("project")
        rec = {
            "event": event,
            "at": datetime.now(timezone.utc).isoformat(),
            "project": project.get("id") if isinstance(project, dict) else project,
            "task": (data.get("task") or {}).get("id") or ann.get("task"),
            "annotation": ann.get("id"),
            "model_version": self.model_version or None,
        }
        with self._lock:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with open(self.data_dir / EVENTS_FILE, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return {"recorded": True}


def _item(data: dict[str, Any], model_version: str) -> Optional[QueueItem]:
    """The ``QueueItem`` a pushed task carries as its data (None when it is not one of ours)."""
    fields = {f.name for f in dataclasses.fields(QueueItem)}
    if not data.get("sentence") or not data.get("number_text"):
        return None
    defaults = {"item_id": "", "report_sha256": "", "source": "", "report_title": "", "section": None,
                "claim_id": "", "text": "", "start": 0, "end": 0, "num_start": None, "num_end": None,
                "value": None, "metric": "other", "confidence": 0.0, "review_score": 0.0,
                "status": "unchecked", "needs_review": True}
    kw = {**defaults, **{k: v for k, v in data.items() if k in fields}}
    kw["model_version"] = model_version
    return QueueItem(**kw)


# ---------------------------------------------------------------------------
# the HTTP adapter (FastAPI, run as every web app of the project is: nlp.service.server)
# ---------------------------------------------------------------------------


def make_app(backend: ClaimsBackend) -> Any:
    """The FastAPI app of the routes Label Studio calls, over ``backend``. Errors answer
    ``{"error": one line}``: 400 for a body that is not a JSON object, 404 for another route,
    500 for a failure of ours (the server stays up)."""
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    app = FastAPI(title="xxgk claims ML backend", docs_url=None, redoc_url=None, openapi_url=None)

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, e: HTTPException) -> JSONResponse:
        return error(e.status_code, f"no route {request.method} {request.url.path}")

    @app.exception_handler(Exception)
    async def failed(request: Request, e: Exception) -> JSONResponse:  # one line back to Label Studio
        return error(500, f"{type(e).__name__}: {e}".splitlines()[0])

    async def body_of(request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError as e:
            raise _BadRequest(str(e)) from None
        if not isinstance(body, dict):
            raise _BadRequest("the body is not a JSON object")
        return body

    @app.exception_handler(_BadRequest)
    async def bad(request: Request, e: _BadRequest) -> JSONResponse:
        return error(400, f"bad request: {e}")

    @app.get("/")
    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "UP", "model_class": type(backend).__name__, "model_version": backend.model_version}

    @app.post("/setup")
    async def setup(request: Request) -> dict[str, Any]:
        await body_of(request)  # its access_token is neither kept nor logged
        return {"model_version": (await _threaded(backend.setup)).model_version}

    @app.post("/predict")
    async def predict(request: Request) -> dict[str, Any]:
        body = await body_of(request)
        context = (body.get("params") or {}).get("context")
        results = await _threaded(backend.predict, body.get("tasks") or [], context=context)
        return {"results": results, "model_version": backend.model_version}

    @app.post("/webhook", status_code=201)
    async def webhook(request: Request) -> dict[str, Any]:
        body = await body_of(request)
        return await _threaded(backend.fit, str(body.pop("action", "")), body)

    return app


class _BadRequest(Exception):
    pass


async def _threaded(fn: Any, *args: Any, **kwargs: Any) -> Any:
    from fastapi.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args, **kwargs)


def make_server(backend: ClaimsBackend, port: int, *, verbose: bool = False) -> Any:
    """A server for ``backend`` on 127.0.0.1:``port`` (0 = a free port; read it from
    ``server.server_address``): ``nlp.service.server.Server`` over :func:`make_app`. Call
    ``serve_forever()``; ``shutdown()`` stops it. A busy port is E023."""
    from nlp.service.server import Server

    return Server(make_app(backend), port, HOST, verbose=verbose)


def serve(port: Optional[int] = None, data_dir: Optional[Path] = None) -> None:
    """Load the model, then serve until interrupted (``xxgk ls backend``); ``port`` and
    ``data_dir`` default to the settings ``ls_backend_port`` and ``ls_data_dir``."""
    port = settings().ls_backend_port if port is None else port
    backend = ClaimsBackend(data_dir=data_dir).setup()
    server = make_server(backend, port, verbose=True)
    print(f"ML backend {backend.model_version} at {server.url} "
          f"(Project → Settings → Model → Connect Model); Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
