"""Errors as ``application/problem+json`` (RFC 9457), each with the project's error code.

``{"type": "about:blank", "title": "Unprocessable Content", "status": 422, "code": "E003",
"detail": "E003 report.txt: the file is empty"}`` — ``detail`` is the one line the CLI would
print. The HTTP status follows the code: a report the reader cannot take is 422, too large
413, no token 401, nothing there 404, a request that does not fit the API 422 (E062), a
defect of ours 500 (E009).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from nlp.errors import Errors, XxgkError

PROBLEM = "application/problem+json"

STATUS = {"E007": 413, "E009": 500, "E010": 500, "E013": 500, "E030": 500, "E060": 401, "E061": 404}
"""HTTP status by error code; any other code is 422 (the input cannot be processed)."""


class LineError(Exception):
    """An error known only by its one line (a worker's outcome): ``code`` is its first word."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.code = line.split(" ", 1)[0]


def problem(err: Exception, *, code: Optional[str] = None, status: Optional[int] = None,
            headers: Optional[dict[str, str]] = None) -> JSONResponse:
    """The problem+json answer for an error."""
    code = code or getattr(err, "code", "E009")
    status = status or STATUS.get(code, 422)
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "code": code,
            "detail": str(err)}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` as problem+json."""

    @app.exception_handler(XxgkError)
    @app.exception_handler(LineError)
    async def known(request: Request, err: Exception) -> JSONResponse:
        return problem(err)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        parts = []
        for e in err.errors()[:3]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "body"
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return problem(XxgkError(Errors.E062, detail="; ".join(parts) or "invalid"))

    @app.exception_handler(HTTPException)
    async def http(request: Request, err: HTTPException) -> JSONResponse:
        if err.status_code == 404:
            return problem(XxgkError(Errors.E061, what="path", key=request.url.path))
        detail = err.detail if isinstance(err.detail, str) else HTTPStatus(err.status_code).phrase
        return problem(XxgkError(Errors.E062, detail=f"{request.method} {request.url.path}: {detail}"),
                       status=err.status_code, headers=getattr(err, "headers", None))

    @app.exception_handler(Exception)
    async def defect(request: Request, err: Exception) -> JSONResponse:
        detail = f"{type(err).__name__}: {err}".splitlines()[0]
        return problem(XxgkError(Errors.E009, path=request.url.path, detail=detail))


__all__ = ["PROBLEM", "STATUS", "LineError", "problem", "install"]
