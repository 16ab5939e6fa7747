"""``xxgk serve``: the HTTP API (FastAPI on uvicorn) on 127.0.0.1.

A thin wrapper over ``nlp.service.create_app``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from nlp.batch import default_jobs
from nlp.cli._util import DbOption, ModelOption, app, err, exits
from nlp.config import settings
from nlp.pipeline import Checker


@app.command()
def serve(
    db: Optional[str] = DbOption,
    model: Optional[str] = ModelOption,
    port: Optional[int] = typer.Option(
        None, "--port", min=0, max=65535, help="The port (default: the serve_port setting, 8765; 0 picks a free one).",
        show_default=False),
    host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on (this machine only by default)."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, help="Processes that check uploads (default: the cores).", show_default=False),
    token_file: Optional[Path] = typer.Option(
        None, "--token-file", help="The bearer token's file (default: the serve_token_file setting; made at "
        "first start, mode 0600).", show_default=False),
) -> None:
    """Serve the HTTP API: upload reports, read results, record decisions, export.

    Every call but GET /health needs 'Authorization: Bearer <token>', the token being the content of the token file (never printed). The OpenAPI document is at /openapi.json.

    Example: xxgk serve --port 8765 --jobs 2
    """
    from nlp.service import create_app
    from nlp.service.server import Server

    with exits():
        s = settings()
        checker = Checker(model, settings=s)
        checker.model  # a missing model stops here (E013)
        path = token_file or Path(s.serve_token_file)
        api = create_app(db=db or s.db, token_file=path, checker=checker, jobs=jobs or default_jobs(),
                         timeout=s.serve_timeout)
        server = Server(api, s.serve_port if port is None else port, host)
    err.print(f"serving the xxgk API on {server.url} (store {db or s.db}; bearer token in {path})", highlight=False)
    try:
        server.serve_forever()
    finally:
        server.server_close()
