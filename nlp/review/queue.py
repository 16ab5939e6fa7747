"""The annotation queue: push claims to review into Label Studio, pull what annotators decided.

    push(items, client, project_title=...) -> PushReport       idempotent, batched
    pull(client, out_dir, project_title=...) -> PullReport     append-only annotations.jsonl

The items come from ``nlp.review.items`` (``items_from_result``/``_jsonl``/``_store``); the
records pull writes are ``nlp.review.annotations.Annotation`` (the one annotation contract).

The server is the source of truth: every push first reads which ``item_id`` the project
already holds (``tasks.list``), imports only the missing ones in batches, and gives a task
whose prediction changed a new prediction (never a second task). A push cut short (server
stopped) and run again ends with every item exactly once: before an import is retried the
server is read again, so an import that went through but whose answer was lost is not sent
twice. Connection errors, timeouts and 5xx answers are retried with exponential backoff
(``nlp.review._retry.RetryPolicy``); when the server stays down the error is one line, E020
with the URL, never the token.

The project's title (``ls_project``) and the number of tries (``ls_retries``) are settings
(``nlp.config``), read when a function is called without them.

The labelling config (``annotations/label_config.xml``) is generated from
``nlp.metrics.LABELS`` (``nlp.review.label_config``); push and pull read the control names
and the metric choices back from the XML (``LabelConfig``), not from lists in the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, TypeVar

from nlp.config import PATHS, settings
from nlp.errors import Errors, XxgkError
from nlp.review import annotations
from nlp.review._retry import RetryPolicy, _call
from nlp.review.annotations import ANNOTATIONS_FILE, Annotation
from nlp.review.items import QueueItem, _fingerprint_of, prediction, task_payload
from nlp.review.label_config import COMMENT, METRIC, NOT_A_CLAIM, VALUE, LabelConfig

STATE_FILE = ".pull-state.json"
BATCH_SIZE = 200

T = TypeVar("T")


# ---------------------------------------------------------------------------
# the project
# ---------------------------------------------------------------------------


def _url(client: Any) -> str:
    return client._client_wrapper.get_base_url()


def find_project(client: Any, title: Optional[str] = None, *, retry: Optional[RetryPolicy] = None) -> Optional[Any]:
    """The project with exactly this title (default: the ``ls_project`` setting; the oldest
    if several), or None."""
    title = title or settings().ls_project
    retry = retry or RetryPolicy.from_env()
    projects = _call(lambda: list(client.projects.list(title=title)), what="list projects", url=_url(client), retry=retry)
    same = sorted((p for p in projects if p.title == title), key=lambda p: p.id)
    return same[0] if same else None


def ensure_project(client: Any, title: str, cfg: LabelConfig, *, retry: Optional[RetryPolicy] = None) -> Any:
    """Find or create the project; bring its labelling config up to date."""
    retry = retry or RetryPolicy.from_env()
    url = _url(client)
    project = find_project(client, title, retry=retry)
    created = project is None
    if project is None:
        project = _call(
            lambda: client.projects.create(title=title, label_config=cfg.xml, description="Claims the model is unsure of (xxgk queue push)."),
            what="create project",
            url=url,
            retry=retry,
        )
    if created:
        _review_view(client, project.id, url, retry)
    if (project.label_config or "").strip() != cfg.xml.strip():
        pid = project.id
        _call(lambda: client.projects.update(id=pid, label_config=cfg.xml), what="update labelling config", url=url, retry=retry)
    return project


REVIEW_VIEW = {
    "title": "待审·低分优先",
    "ordering": ["tasks:predictions_score"],
    "hiddenColumns": {
        "explore": [
            *(f"tasks:{k}" for k in ("inner_id", "completed_at", "annotators", "annotations_results", "annotations_ids",
                                     "predictions_model_versions", "predictions_results", "file_upload",
                                     "storage_filename", "created_at", "updated_at", "updated_by", "avg_lead_time",
                                     "draft_exists")),
            *(f"tasks:data.{k}" for k in ("sentence_html", "where", "compared", "item_id", "report_sha256", "source",
                                          "section", "claim_id", "text", "start", "end", "num_start", "num_end",
                                          "metric", "confidence", "review_score", "status", "needs_review",
                                          "model_version", "predicted_metric", "evidence")),
        ],  # fmt: skip
        "labeling": [],
    },
    "columnsWidth": {"tasks:data.sentence": 420, "tasks:data.report_title": 220},
}
"""The Data Manager tab a new project opens with: the most doubtful claims first, its title
short enough for the tab, the list showing the claim's sentence, number, value, table figure,
status and metric next to the task's id and score (``items.TASK_COLUMNS``), the rest hidden."""


def _review_view(client: Any, project_id: int, url: str, retry: RetryPolicy) -> None:
    _call(lambda: client.views.create(project=project_id, data=REVIEW_VIEW), what="create view", url=url, retry=retry)


def _set_model_version(client: Any, project: Any, model_version: str, retry: RetryPolicy) -> None:
    """Make the labelling view pre-fill this model version's predictions (the server accepts
    only a version some prediction of the project carries, so call it after the import)."""
    if getattr(project, "model_version", None) == model_version:
        return
    pid = project.id
    _call(lambda: client.projects.update(id=pid, model_version=model_version), what="set model version", url=_url(client), retry=retry)


@dataclass
class _TaskState:
    task_id: int
    predictions: list[dict[str, Any]] = field(default_factory=list)  # oldest first

    @property
    def fingerprint(self) -> Optional[tuple[Any, ...]]:
        return _fingerprint_of(self.predictions[-1]) if self.predictions else None


def server_items(client: Any, project_id: int, *, retry: Optional[RetryPolicy] = None) -> dict[str, _TaskState]:
    """``item_id -> task`` as the server holds them now (the source of truth)."""
    retry = retry or RetryPolicy.from_env()

    def read() -> dict[str, _TaskState]:
        out: dict[str, _TaskState] = {}
        for t in client.tasks.list(project=project_id, fields="all", include="id,data,predictions", page_size=1000):
            item_id = (t.data or {}).get("item_id")
            if not item_id:
                continue
            preds = sorted(
                (p if isinstance(p, dict) else p.dict() for p in (t.predictions or [])),
                key=lambda p: (str(p.get("created_at") or ""), p.get("id") or 0),
            )
            if item_id in out:  # should not happen; keep the oldest task
                continue
            out[item_id] = _TaskState(task_id=t.id, predictions=preds)
        return out

    return _call(read, what="list tasks", url=_url(client), retry=retry)


# ---------------------------------------------------------------------------
# push
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PushReport:
    project_id: int
    url: str
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return (
            f"{self.created} new task(s), {self.updated} new prediction(s), {self.unchanged} unchanged "
            f"— {self.url}/projects/{self.project_id}"
        )


def _chunks(seq: list[T], n: int) -> Iterator[list[T]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def push(
    items: Iterable[QueueItem],
    client: Any,
    *,
    project_title: Optional[str] = None,
    label_config: Optional[LabelConfig] = None,
    batch_size: Optional[int] = None,
    retry: Optional[RetryPolicy] = None,
    progress: Callable[[str], None] = lambda m: None,
) -> PushReport:
    """Send the items to the project, each exactly once.

    Items already on the server (same ``item_id``) are not imported again; one whose
    prediction (metric, value, model version) changed gets the new prediction on its task and
    loses the old ones, so the Data Manager's score is the current one. Returns the counts.
    ``project_title`` and ``retry`` default to the settings, ``batch_size`` to ``BATCH_SIZE``.
    """
    project_title = project_title or settings().ls_project
    retry = retry or RetryPolicy.from_env()
    batch_size = batch_size or BATCH_SIZE
    cfg = label_config or LabelConfig.load()
    url = _url(client)
    unique: dict[str, QueueItem] = {}
    for it in items:
        unique[it.item_id] = it  # the last one wins
    versions = {it.model_version for it in unique.values()}
    project = ensure_project(client, project_title, cfg, retry=retry)
    pid = project.id
    on_server = server_items(client, pid, retry=retry)
    new = [it for it in unique.values() if it.item_id not in on_server]
    changed = [
        it
        for it in unique.values()
        if it.item_id in on_server and on_server[it.item_id].fingerprint != _fingerprint_of(prediction(it, cfg))
    ]
    created = 0
    for n, batch in enumerate(_chunks(new, max(1, batch_size))):
        pending = {"batch": batch}

        def resync() -> None:  # an import may have gone through before the error: re-read
            there = server_items(client, pid, retry=RetryPolicy(attempts=1))
            pending["batch"] = [it for it in pending["batch"] if it.item_id not in there]

        def send() -> int:
            todo = pending["batch"]
            if todo:
                client.projects.import_tasks(id=pid, request=[task_payload(it, cfg) for it in todo], return_task_ids=True)
            return len(todo)

        _call(send, what=f"import batch {n + 1} ({len(batch)} tasks)", url=url, retry=retry, before_retry=resync)
        created += len(batch)  # on the server now, by this import or by one whose answer was lost
        progress(f"imported {created}/{len(new)}")
    for it in changed:
        state = on_server[it.item_id]
        pred = prediction(it, cfg)
        tid = state.task_id
        _call(
            lambda: client.predictions.create(task=tid, project=pid, **pred),
            what=f"add prediction to task {tid}",
            url=url,
            retry=retry,
        )
        _delete_predictions(client, state.predictions, url, retry)
    for item_id, state in on_server.items():  # left over by a push cut between create and delete
        if item_id in unique and unique[item_id] not in changed and len(state.predictions) > 1:
            _delete_predictions(client, state.predictions[:-1], url, retry)
    if len(versions) == 1 and (created or changed):
        _set_model_version(client, project, versions.pop(), retry)
    return PushReport(
        project_id=pid, url=url, created=created, updated=len(changed), unchanged=len(unique) - len(new) - len(changed)
    )


def _delete_predictions(client: Any, predictions: list[dict[str, Any]], url: str, retry: RetryPolicy) -> None:
    for old in predictions:
        oid = old.get("id")
        if oid is not None:
            _call(lambda: client.predictions.delete(id=oid), what=f"delete prediction {oid}", url=url, retry=retry)


# ---------------------------------------------------------------------------
# pull
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PullReport:
    path: Path
    added: int
    seen: int
    total: int

    def __str__(self) -> str:
        return f"{self.added} new annotation record(s) appended to {self.path} ({self.total} in all)"


def _result_fields(result: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"metric": None, "value": None, "not_a_claim": False, "comment": ""}
    comments = []
    for r in result or []:
        name, v = r.get("from_name"), r.get("value") or {}
        if name == METRIC and v.get("choices"):
            out["metric"] = v["choices"][0]
        elif name == NOT_A_CLAIM and v.get("choices"):
            out["not_a_claim"] = NOT_A_CLAIM in v["choices"]
        elif name == VALUE and "number" in v:
            out["value"] = v["number"]
        elif name == COMMENT and v.get("text"):
            t = v["text"]
            comments.extend(t if isinstance(t, list) else [t])
    out["comment"] = "\n".join(str(c) for c in comments)
    if out["metric"] == NOT_A_CLAIM:
        out["not_a_claim"] = True
    return out


def _iso(v: Any) -> Optional[str]:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).isoformat()
    return str(v)


def annotation_record(task: dict[str, Any], ann: dict[str, Any], users: dict[int, str]) -> Annotation:
    """The record (one line of annotations.jsonl) of one Label Studio annotation of a task
    (with its predictions)."""
    data = task.get("data") or {}
    fields = _result_fields(ann.get("result") or [])
    preds = {p.get("id"): p for p in task.get("predictions") or []}
    parent = preds.get(ann.get("parent_prediction"))
    latest = max(preds.values(), key=lambda p: (str(p.get("created_at") or ""), p.get("id") or 0), default=None)
    seen_pred = parent or latest
    predicted_metric, predicted_value = data.get("predicted_metric"), data.get("value")
    if seen_pred:
        predicted_metric = _fingerprint_of(seen_pred)[0]
        predicted_value = next(
            (r["value"]["number"] for r in seen_pred.get("result") or []
             if r.get("from_name") == VALUE and "number" in (r.get("value") or {})),
            None,
        )  # fmt: skip
    by = ann.get("completed_by")
    if isinstance(by, dict):
        annotator = by.get("email") or str(by.get("id"))
    else:
        annotator = users.get(by) if by is not None else None
        annotator = annotator or (str(by) if by is not None else None)
    value_from = "annotator" if fields["value"] is not None else "task"
    return Annotation.from_dict({
        "task_id": task.get("id"),
        "annotation_id": ann.get("id"),
        "item_id": data.get("item_id"),
        "report_sha256": data.get("report_sha256"),
        "source": data.get("source"),
        "text": data.get("text"),
        "sentence": data.get("sentence"),
        "number_text": data.get("number_text"),
        "start": data.get("start"),  # the claim's span in Document.text
        "end": data.get("end"),
        "num_start": data.get("num_start"),  # the number's span
        "num_end": data.get("num_end"),
        "value": fields["value"] if fields["value"] is not None else data.get("value"),
        "value_from": value_from,
        "metric": fields["metric"],
        "not_a_claim": fields["not_a_claim"],
        "comment": fields["comment"],
        "annotator": annotator,
        "annotated_at": _iso(ann.get("updated_at") or ann.get("created_at")),
        "created_at": _iso(ann.get("created_at")),
        "updated_at": _iso(ann.get("updated_at")),
        "predicted_metric": predicted_metric,
        "predicted_value": predicted_value,
        "model_version": (seen_pred or {}).get("model_version") or data.get("model_version"),
        "section": data.get("section"),
        "claim_id": data.get("claim_id"),
    })


def _users(client: Any) -> dict[int, str]:
    """``user id -> e-mail`` when the token may list users; else empty (ids are kept)."""
    try:
        return {u.id: u.email for u in client.users.list()}
    except Exception:  # noqa: BLE001 — a nicety; a server that is down fails the next call
        return {}


PULL_MARGIN = timedelta(minutes=2)
"""How far before the last pull's newest task change the next pull looks again (in-flight saves)."""


def _export(client: Any, project_id: int) -> list[dict[str, Any]]:
    """Every annotated task of the project with its full annotations (Label Studio's JSON export)."""
    raw = b"".join(client.projects.exports.download_sync(id=project_id, export_type="JSON", download_all_tasks=False))
    return json.loads(raw.decode("utf-8"))


def _load_state(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def pull(
    client: Any,
    out_dir: Path = PATHS.annotations,
    *,
    project_title: Optional[str] = None,
    full: bool = False,
    retry: Optional[RetryPolicy] = None,
) -> PullReport:
    """Append the project's new and updated annotations to ``out_dir/annotations.jsonl``.

    One record per annotation version, keyed by ``(annotation_id, updated_at)``: a key
    already in the file is never written again, so pulling twice adds nothing, and an
    annotation edited since the last pull appends its newer version (what counts is the
    latest, ``nlp.review.annotations.latest``). Skipped (cancelled) annotations are left out.

    Incremental: the state file ``.pull-state.json`` keeps the newest task change the last
    pull saw (server time; saving an annotation updates its task), and the next pull asks the
    server only for tasks changed since then (less a margin), as a cheap index of annotation
    keys. Only when a key is new are the full annotations fetched, by one JSON export.
    ``full=True``, another project, or an empty annotations file read everything; the keys
    above dedupe in every case. ``project_title`` and ``retry`` default to the settings.
    """
    project_title = project_title or settings().ls_project
    retry = retry or RetryPolicy.from_env()
    url = _url(client)
    project = find_project(client, project_title, retry=retry)
    if project is None:
        raise XxgkError(Errors.E020, url=url, detail=f'no project "{project_title}" yet; run xxgk queue push first')
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / ANNOTATIONS_FILE
    state_path = out_dir / STATE_FILE
    seen = {a.version for a in annotations.read(path)}
    state = _load_state(state_path)
    pid = project.id
    since: Optional[str] = None
    if not full and seen and state.get("project_id") == pid and state.get("url") == url and state.get("tasks_changed_until"):
        t = datetime.fromisoformat(state["tasks_changed_until"]).astimezone(timezone.utc) - PULL_MARGIN
        since = t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # the one format the filter takes
    query = None
    if since:
        query = json.dumps({"filters": {"conjunction": "and", "items": [
            {"filter": "filter:tasks:updated_at", "operator": "greater", "type": "Datetime", "value": since}]}})  # fmt: skip
    def index() -> list[dict[str, Any]]:  # cheap: ids, change times, annotation keys, predictions
        kw: dict[str, Any] = {"query": query} if query else {}
        return [
            t if isinstance(t, dict) else t.dict()
            for t in client.tasks.list(project=pid, fields="all", only_annotated=True, page_size=1000,
                                       include="id,updated_at,annotations,predictions", **kw)
        ]  # fmt: skip

    tasks = _call(index, what="list annotated tasks", url=url, retry=retry)
    changed_until = state.get("tasks_changed_until") if since else None
    for task in tasks:
        t_upd = task.get("updated_at")
        if t_upd:
            t_upd = datetime.fromisoformat(str(t_upd)) if not isinstance(t_upd, datetime) else t_upd
            t_upd = t_upd.astimezone(timezone.utc).isoformat()
            if changed_until is None or t_upd > changed_until:
                changed_until = t_upd
    unseen = {
        t["id"]
        for t in tasks
        for a in t.get("annotations") or []
        if (a.get("id"), _iso(a.get("updated_at"))) not in seen
    }
    new = []
    if unseen:  # the full annotations, in one export request (much faster than listing them)
        preds = {t["id"]: t.get("predictions") or [] for t in tasks}
        users = _users(client)
        full = _call(lambda: _export(client, pid), what="export annotations", url=url, retry=retry)
        for task in full:
            if task.get("id") not in unseen:
                continue
            task = {**task, "predictions": [p for p in preds.get(task["id"], []) if isinstance(p, dict)]}
            for ann in task.get("annotations") or []:
                if ann.get("was_cancelled"):
                    continue
                rec = annotation_record(task, ann, users)
                if rec.version in seen:
                    continue
                seen.add(rec.version)
                new.append(rec)
    new.sort(key=lambda r: (str(r.version[1] or ""), r.version[0] or 0))
    annotations.append(path, new)
    state = {
        "project_id": pid,
        "url": url,
        "last_pull": datetime.now(timezone.utc).isoformat(),
        "incremental_since": since,
        "tasks_read": len(tasks),
        "tasks_changed_until": changed_until,
        "records": len(seen),
    }
    state_path.write_text(json.dumps(state, indent=1), encoding="utf-8")
    return PullReport(path=path, added=len(new), seen=len(seen) - len(new), total=len(seen))
