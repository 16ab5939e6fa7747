"""The HTTP API (FastAPI): upload a report and get its result, read and filter what the store
holds, record a reviewer's decision or correction of a misread figure, export.

Every call but ``GET /health`` needs ``Authorization: Bearer <token>`` (:mod:`.auth`). Errors
are ``application/problem+json`` (RFC 9457) with the project's error code (:mod:`.problems`).
Uploads are checked in a pool of worker processes (``nlp.batch.engines.LocalPool``: the model
loaded once per worker), each within ``timeout`` seconds, so a slow PDF holds one worker and
never the service; this process alone writes the store, as a batch's parent does
(``nlp.batch.settle``: corrections, other years), through the same ``Store`` methods the
reviewer app uses.

>>> app = create_app(db="xxgk.sqlite", token_file=Path(".xxgk/serve-token"))  # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=8765)                            # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import os
import re
import shutil
import tempfile
import threading
from contextlib import asynccontextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, AsyncIterator, Literal, Optional, Union

from fastapi import Depends, FastAPI, File, Query, Request, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

from nlp import __version__
from nlp.errors import Errors, XxgkError
from nlp.metrics import LABELS
from nlp.schema import CLAIM_STATUSES, SEVERITIES
from nlp.service.auth import authorized, token
from nlp.service.problems import PROBLEM, LineError, install as install_problems, problem
from nlp.store import Store

API_VERSION = "1"
HEX = r"^[0-9a-fA-F]{4,64}$"


class Problem(BaseModel):
    """An error (RFC 9457 problem details) with the project's error code."""

    type: str = "about:blank"
    title: str = Field(description="The HTTP status's phrase.")
    status: int
    code: str = Field(description="The project's error code (E001…), as in nlp/errors.py.")
    detail: str = Field(description="One line naming the input and the problem.")


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str = Field(description="The reader's version.")


class DecisionIn(BaseModel):
    """A reviewer's decision on a claim or finding of the latest results."""

    item_id: str = Field(min_length=1, max_length=64, description="The claim's (C-…) or finding's (F-…) id.")
    item_kind: Literal["claim", "finding"]
    decision: Literal["confirmed_defect", "false_alarm", "needs_follow_up"]
    comment: str = Field("", max_length=10_000)
    reviewer: str = Field("", max_length=200)


class DecisionOut(BaseModel):
    id: int
    item_id: str
    item_kind: str
    report_sha256: str
    decision: str
    comment: str
    reviewer: str
    created_at: str


Figure = Annotated[Union[int, float], Field(ge=-1e15, le=1e15, allow_inf_nan=False)]


class CorrectionIn(BaseModel):
    """A reviewer's figure for a cell or claim the reader misread (``nlp.pipeline.correct``)."""

    value: Optional[Figure] = Field(
        None, description="The figure the report really shows (a cell: null for a blank one; a claim: null keeps "
                          "the number as read, e.g. to give only its metric).")
    metric: Optional[Literal[LABELS]] = Field(  # type: ignore[valid-type]
        None, description="A claim's metric as the reviewer reads it (claims only; null: unchanged).")
    reason: str = Field("", max_length=2000, description="Why (required unless withdrawing).")
    reviewer: str = Field(min_length=1, max_length=200, description="Who.")
    withdraw: bool = Field(False, description="Take the current correction of this cell or claim back.")


class CorrectionOut(BaseModel):
    """One recorded correction; ``original_*`` keep what the reader had read."""

    id: int
    report_sha256: str
    target: str = Field(description="cell:<table>/<row>/<col> or claim:<claim id>.")
    kind: Literal["cell", "claim"]
    tbl: Optional[str] = None
    row_key: Optional[str] = None
    col_key: Optional[str] = None
    claim_id: Optional[str] = None
    original_value: Optional[float] = None
    original_raw: Optional[str] = None
    original_metric: Optional[str] = None
    value: Optional[float] = None
    metric: Optional[str] = None
    withdrawn: bool
    reason: str
    reviewer: str
    created_at: str


class Corrected(BaseModel):
    correction: CorrectionOut
    result: dict[str, Any] = Field(description="The report's result reconciled again with its corrections (report-json.md).")


class ExportName(str, Enum):
    claims_csv = "claims.csv"
    findings_csv = "findings.csv"
    corrections_csv = "corrections.csv"
    xlsx = "xxgk.xlsx"
    reports_parquet = "reports.parquet"
    cells_parquet = "cells.parquet"
    claims_parquet = "claims.parquet"
    findings_parquet = "findings.parquet"
    decisions_parquet = "decisions.parquet"
    corrections_parquet = "corrections.parquet"


_MEDIA = {".csv": "text/csv; charset=utf-8",
          ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          ".parquet": "application/vnd.apache.parquet"}

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": what, "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for code, what in ((401, "No or a wrong bearer token (E060)."),
                       (404, "No such report, claim or finding (E061)."),
                       (413, "The upload is larger than the limit (E007)."),
                       (422, "The request or the report cannot be processed (E001–E008, E012, E062, E063)."))
}


def _json(text: str, status: int = 200, headers: Optional[dict[str, str]] = None) -> Response:
    """A stored JSON text as the answer, as it is (not parsed and encoded again)."""
    return Response(text, status_code=status, headers=headers, media_type="application/json")


def _safe_name(filename: Optional[str]) -> str:
    """An upload's file name fit to be a file here: its last part, without control
    characters, at most 200 bytes (its suffix kept)."""
    name = (filename or "").encode("utf-8", "replace").decode("utf-8").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix[:10]
    while len(stem.encode()) > 200:
        stem = stem[:-1]
    return (stem + (dot + suffix if dot else "")) or "upload"


def _page(rows: list, limit: int, offset: int) -> list:
    return rows[offset:offset + limit]


def create_app(*, db: str, token_file: Path, checker: Any = None, jobs: int = 1, timeout: float = 120,
               max_bytes: Optional[int] = None) -> FastAPI:
    """The API over the store ``db``, guarded by the token in ``token_file`` (made if
    missing), checking uploads with ``checker`` (default: the settings' model) in ``jobs``
    processes, ``timeout`` seconds each, refusing uploads over ``max_bytes`` (default: the
    ``max_bytes`` setting)."""
    from nlp.pipeline import Checker

    checker = checker or Checker()
    limit = max_bytes or checker.settings.max_bytes
    secret = token(token_file)
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from nlp.batch.engines import LocalPool

        state["store"] = Store(db)
        state["tmp"] = Path(tempfile.mkdtemp(prefix="xxgk-serve-"))
        state["inflight"] = {}
        state["writing"] = threading.Lock()
        with LocalPool(checker, max(1, jobs)) as pool:
            state["pool"] = pool
            yield
        state["store"].close()
        shutil.rmtree(state["tmp"], ignore_errors=True)

    app = FastAPI(
        title="xxgk-audit API",
        version=API_VERSION,
        summary="Check 政府信息公开工作年度报告 and read the results and review decisions.",
        description=(
            "Every call but `GET /health` needs `Authorization: Bearer <token>`; the token is made at the "
            "service's first start into a file only its owner can read (`serve_token_file`). Errors are "
            "`application/problem+json` with the project's error code in `code`."),
        lifespan=lifespan,
        responses=_ERRORS,
    )
    install_problems(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                                 description=app.description, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        if request.url.path != "/health" and not authorized(request.headers.get("authorization", ""), secret):
            return problem(XxgkError(Errors.E060), headers={"WWW-Authenticate": "Bearer"})
        size = request.headers.get("content-length", "")
        if size.isdigit() and int(size) > limit + 65536:
            return problem(XxgkError(Errors.E007, path="upload", size=int(size), limit=limit))
        return await call_next(request)

    bearer = [Depends(HTTPBearer(auto_error=False, description="The token in the serve_token_file."))]

    def store() -> Store:
        return state["store"]

    def found(sha256: str) -> str:
        sha = store().resolve_sha(sha256)
        if sha is None:
            raise XxgkError(Errors.E061, what="report", key=sha256)
        return sha

    @app.get("/health", tags=["service"])
    def health() -> Health:
        """Whether the service is up (no token needed)."""
        return Health(version=__version__)

    @app.post("/reports", tags=["reports"], dependencies=bearer, status_code=201,
              responses={200: {"description": "Already checked by this pipeline: the stored result."},
                         201: {"description": "Checked now: the result (report-json.md)."}})
    async def upload(file: UploadFile = File(description="A .txt .md .html .htm .pdf or .docx report.")) -> dict[str, Any]:
        """Check one report and store its result; the same content again gives the stored
        result (200), not a second report."""
        data = await file.read(limit + 1)
        name = _safe_name(file.filename)
        if len(data) > limit:
            raise XxgkError(Errors.E007, path=name, size=f"more than {limit}", limit=limit)
        sha = hashlib.sha256(data).hexdigest()
        s = store()
        headers = {"Location": f"/reports/{sha}"}
        if await run_in_threadpool(s.checked, sha, checker.pipeline_version):
            return _json(await run_in_threadpool(s.get_result_text, sha), 200, headers)
        inflight: dict[str, asyncio.Future] = state["inflight"]
        if sha not in inflight:
            inflight[sha] = asyncio.ensure_future(_check(name, data, sha))
        try:
            return _json(await asyncio.shield(inflight[sha]), 201, headers)
        finally:
            if inflight.get(sha) is not None and inflight[sha].done():
                inflight.pop(sha, None)

    async def _check(name: str, data: bytes, sha: str) -> str:
        from nlp.batch.engines import Task

        folder = Path(tempfile.mkdtemp(dir=state["tmp"]))
        path = folder / name
        path.write_bytes(data)
        try:
            fut = state["pool"].submit(Task(str(path), name, timeout))
            out = await asyncio.wait_for(asyncio.wrap_future(fut), timeout + 30)
        except asyncio.TimeoutError:
            raise XxgkError(Errors.E063, path=name, seconds=timeout) from None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if out.error:
            raise LineError(out.error)
        return await run_in_threadpool(_settle, out)

    def _settle(out: Any) -> str:
        """Store a worker's result as a batch's parent does (``nlp.batch.settle``: the
        reviewers' corrections, the unit's other years, the later years relinked), one
        upload at a time; the stored JSON text."""
        from nlp.batch import settle
        from nlp.history import History

        with state["writing"]:
            parent = copy.copy(checker)  # the loaded model, its own history of the store as it is now
            parent.history = History(store())
            settle(out, store(), parent, seen=False)
            parent.history.flush()
        return store().get_result_text(out.result.document.sha256)

    @app.get("/reports", tags=["reports"], dependencies=bearer)
    def list_reports(
        year: list[Annotated[int, Field(ge=1900, le=2999)]] = Query([], description="Report years (any of)."),
        agency: list[str] = Query([], description="Agencies (any of)."),
        status: list[Literal[CLAIM_STATUSES]] = Query([], description="Has a claim of one of these statuses."),  # type: ignore[valid-type]
        severity: list[Literal[SEVERITIES]] = Query([], description="Has a finding of one of these severities."),  # type: ignore[valid-type]
        reviewed: Optional[bool] = Query(None, description="Nothing left to review (true) or something (false)."),
        limit: int = Query(100, ge=1, le=1000),
        offset: int = Query(0, ge=0, le=10**9),
    ) -> list[dict[str, Any]]:
        """Reports (latest result each) with their claim and finding counts and review state."""
        rows = store().overview(year=year, agency=agency, status=status, severity=severity, reviewed=reviewed)
        return _page(rows, limit, offset)

    @app.get("/reports/{sha256}", tags=["reports"], dependencies=bearer)
    def get_report(sha256: str = PathParam(pattern=HEX)) -> dict[str, Any]:
        """A report's result (report-json.md), by its SHA-256 or a unique prefix of it."""
        return _json(store().get_result_text(found(sha256)))

    @app.get("/claims", tags=["results"], dependencies=bearer)
    def list_claims(
        sha256: Optional[str] = Query(None, pattern=HEX, description="Of this report (SHA-256 or a prefix)."),
        status: list[Literal[CLAIM_STATUSES]] = Query([]),  # type: ignore[valid-type]
        metric: list[str] = Query([]),
        to_review: bool = Query(False, description="Only claims a reviewer should look at."),
        limit: int = Query(100, ge=1, le=1000),
        offset: int = Query(0, ge=0, le=10**9),
    ) -> list[dict[str, Any]]:
        """Claims of the latest results, with their current decision."""
        rows = store().claims(found(sha256) if sha256 else None, only_to_review=to_review)
        rows = [r for r in rows if (not status or r["status"] in status) and (not metric or r["metric"] in metric)]
        return _page(rows, limit, offset)

    @app.get("/findings", tags=["results"], dependencies=bearer)
    def list_findings(
        sha256: Optional[str] = Query(None, pattern=HEX, description="Of this report (SHA-256 or a prefix)."),
        severity: list[Literal[SEVERITIES]] = Query([]),  # type: ignore[valid-type]
        kind: list[str] = Query([]),
        to_review: bool = Query(False, description="Only findings a reviewer should look at."),
        limit: int = Query(100, ge=1, le=1000),
        offset: int = Query(0, ge=0, le=10**9),
    ) -> list[dict[str, Any]]:
        """Findings of the latest results, most severe first, with their current decision."""
        rows = store().findings(found(sha256) if sha256 else None, only_to_review=to_review)
        rows = [r for r in rows if (not severity or r["severity"] in severity) and (not kind or r["kind"] in kind)]
        return _page(rows, limit, offset)

    @app.post("/decisions", tags=["review"], dependencies=bearer, status_code=201)
    def record_decision(body: DecisionIn) -> DecisionOut:
        """Record a reviewer's decision (append-only: the latest one per item is current)."""
        s = store()
        item = s.item(body.item_kind, body.item_id)
        if item is None:
            raise XxgkError(Errors.E061, what=body.item_kind, key=body.item_id)
        row_id = s.record_decision(body.item_id, body.item_kind, item["sha256"], body.decision,
                                   comment=body.comment, reviewer=body.reviewer)
        (row,) = [d for d in s.decisions(body.item_id) if d["id"] == row_id]
        return DecisionOut(**row)

    @app.get("/decisions", tags=["review"], dependencies=bearer)
    def list_decisions(item_id: Optional[str] = Query(None, max_length=64),
                       current: bool = Query(False, description="Only each item's current decision.")) -> list[DecisionOut]:
        """Every decision recorded (of one item if given), oldest first."""
        rows = store().current_decisions() if current else store().decisions(item_id)
        if current and item_id:
            rows = [r for r in rows if r["item_id"] == item_id]
        return [DecisionOut(**r) for r in rows]

    def _correct(sha256: str, body: CorrectionIn, **target: Any) -> Corrected:
        from nlp.pipeline import correct

        s = store()
        sha = found(sha256)
        with state["writing"]:
            result = correct(s, sha, **target, value=body.value, metric=body.metric, reason=body.reason,
                             reviewer=body.reviewer, withdraw=body.withdraw, settings=checker.settings)
            row = s.corrections(sha, history=True)[-1]
        return Corrected(correction=CorrectionOut(**row), result=result.to_json())

    @app.post("/reports/{sha256}/cells/{table}/{row}/{col}/corrections", tags=["review"], dependencies=bearer,
              status_code=201)
    def correct_cell(body: CorrectionIn, sha256: str = PathParam(pattern=HEX),
                     table: str = PathParam(max_length=64), row: str = PathParam(max_length=200),
                     col: str = PathParam(max_length=64)) -> Corrected:
        """Correct a table cell the reader misread (as in the reviewer app): recorded with who
        and why (append-only; the original reading kept), then the report is reconciled again
        with it; the new result is returned. ``table``/``row``/``col`` as in the result's
        ``cells``. E034 for a cell the report does not have or no reason."""
        return _correct(sha256, body, cell=(table, row, col))

    @app.post("/reports/{sha256}/claims/{claim_id}/corrections", tags=["review"], dependencies=bearer,
              status_code=201)
    def correct_claim(body: CorrectionIn, sha256: str = PathParam(pattern=HEX),
                      claim_id: str = PathParam(max_length=64)) -> Corrected:
        """Correct a claim's number or metric as read from the narrative; as for a cell, and
        the corrected claim is appended to the annotations for training (corrections.jsonl)."""
        return _correct(sha256, body, claim_id=claim_id)

    @app.get("/reports/{sha256}/corrections", tags=["review"], dependencies=bearer)
    def list_corrections(sha256: str = PathParam(pattern=HEX),
                         history: bool = Query(False, description="Every row ever recorded, withdrawals too.")) -> list[CorrectionOut]:
        """The corrections that apply to a report (the latest per cell or claim), oldest first."""
        return [CorrectionOut(**r) for r in store().corrections(found(sha256), history=history)]

    @app.get("/units/coverage", tags=["units"], dependencies=bearer)
    def units_coverage(
        year: int = Query(..., ge=1900, le=2999, description="The report year."),
        region: str = Query(..., min_length=1, max_length=100, description="A division: 太原市, 山西省太原市, 万柏林区 or its code."),
        depth: int = Query(1, ge=0, le=3, description="Levels of divisions under the region whose governments are expected."),
    ) -> dict[str, Any]:
        """For a year and a region: which units have a stored report and which have none (the
        register of units, ``nlp.units.coverage``, over the stored reports)."""
        from nlp.units import coverage, identify

        s = store()
        aliases = s.aliases()
        known = [(identify(r["agency"], aliases), r["year"], r["sha256"]) for r in s.report_units()]
        try:
            return coverage(known, year, region, depth=depth).to_json()
        except ValueError as e:
            raise XxgkError(Errors.E062, detail=str(e)) from None

    @app.get("/export/{name}", tags=["export"], dependencies=bearer, response_class=FileResponse,
             responses={200: {"content": {m: {} for m in _MEDIA.values()}}})
    def export(name: ExportName) -> FileResponse:
        """The claims or findings with their decisions, or every correction, as CSV (UTF-8 with
        BOM) or as one Excel workbook; any table of the store as Parquet."""
        from nlp import export as ex

        fd, tmp = tempfile.mkstemp(suffix=Path(name.value).suffix, dir=state["tmp"])
        os.close(fd)
        path = Path(tmp)
        stem, suffix = name.value.rsplit(".", 1)
        if suffix == "csv":
            path.write_bytes({"claims": ex.claims_csv, "findings": ex.findings_csv,
                              "corrections": ex.corrections_csv}[stem](store()))
        elif suffix == "xlsx":
            path.write_bytes(ex.to_xlsx(store()))
        else:
            ex.to_parquet(store(), path.parent / (path.name + ".d"), tables=[stem])[stem].replace(path)
            shutil.rmtree(path.parent / (path.name + ".d"), ignore_errors=True)
        from starlette.background import BackgroundTask

        return FileResponse(path, media_type=_MEDIA["." + suffix], filename=name.value,
                            background=BackgroundTask(path.unlink, missing_ok=True))

    return app


__all__ = ["create_app"]
