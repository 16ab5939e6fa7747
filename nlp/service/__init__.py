"""The HTTP service: ``xxgk serve`` (FastAPI on uvicorn, 127.0.0.1 by default).

    api.py       the API: upload and check, read and filter, decisions, export
    auth.py      the bearer token (a 0600 file made at first start; never printed)
    problems.py  errors as application/problem+json with the project's codes

A service over the library, like the CLI: it checks through ``nlp.pipeline`` and the batch
engine's worker pool, and reads and writes only through ``nlp.store``.
"""

from nlp.service.api import create_app

__all__ = ["create_app"]
