"""The claim model as a Label Studio ML backend: a task opened in the UI gets a fresh prediction.

    ClaimsBackend(label_config, model, data_dir)   setup() / predict(tasks) / fit(event, data)
    make_server(backend, port) -> ThreadingHTTPServer   the routes Label Studio 1.23.2 calls
    serve(port, data_dir)                              what ``xxgk ls backend`` runs

The protocol is label-studio-ml-backend's (``label_studio_ml/api.py``), served by the standard
library rather than that package (its PyPI release would downgrade Flask/Jinja here):

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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional

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

        The score is the review score (``nlp.reconcile.review_score``) of the fresh confidence
        and the task's status when the metric is unchanged, else of ``unchecked``: sorting by
        it, lowest first, still puts the most doubtful claims first. A task whose number is
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
# the HTTP adapter
# ---------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def _send(self, status: int, body: Any) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:  # noqa: N802 — http.server's naming
        b = self.server.backend
        if self.path.split("?")[0] in ("/", "/health"):
            self._send(200, {"status": "UP", "model_class": type(b).__name__, "model_version": b.model_version})
        else:
            self._send(404, {"error": f"no route GET {self.path}"})

    def do_POST(self) -> None:  # noqa: N802
        b = self.server.backend
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(body, dict):
                raise ValueError("the body is not a JSON object")
        except ValueError as e:
            self._send(400, {"error": f"bad request: {e}"})
            return
        route = self.path.split("?")[0].rstrip("/")
        try:
            if route == "/setup":  # the body's access_token is neither kept nor logged
                self._send(200, {"model_version": b.setup().model_version})
            elif route == "/predict":
                context = (body.get("params") or {}).get("context")
                results = b.predict(body.get("tasks") or [], context=context)
                self._send(200, {"results": results, "model_version": b.model_version})
            elif route == "/webhook":
                self._send(201, b.fit(str(body.pop("action", "")), body))
            else:
                self._send(404, {"error": f"no route POST {self.path}"})
        except Exception as e:  # noqa: BLE001 — one line back to Label Studio, server stays up
            self._send(500, {"error": f"{type(e).__name__}: {e}"})

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — paths only, no bodies
        if self.server.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    backend: ClaimsBackend
    verbose: bool = False


def make_server(backend: ClaimsBackend, port: int, *, verbose: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for ``backend`` on 127.0.0.1:``port`` (0 = a free port; read it from
    ``server.server_address``). Call ``serve_forever()``; ``shutdown()`` stops it."""
    server = _Server((HOST, port), _Handler)
    server.backend = backend
    server.verbose = verbose
    return server


def serve(port: Optional[int] = None, data_dir: Optional[Path] = None) -> None:
    """Load the model, then serve until interrupted (``xxgk ls backend``); ``port`` and
    ``data_dir`` default to the settings ``ls_backend_port`` and ``ls_data_dir``."""
    from nlp.errors import Errors, XxgkError

    port = settings().ls_backend_port if port is None else port
    backend = ClaimsBackend(data_dir=data_dir).setup()
    try:
        server = make_server(backend, port, verbose=True)
    except OSError:
        raise XxgkError(Errors.E023, port=port) from None
    host, bound = server.server_address[:2]
    print(f"ML backend {backend.model_version} at http://{host}:{bound} "
          f"(Project → Settings → Model → Connect Model); Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
