"""``xxgk app``: the Streamlit reviewer app over the results ``xxgk check`` stored.

(Named ``webapp``, not ``app``: ``nlp.cli.app`` is the Typer application, spaCy's name.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

from nlp.cli._util import DbOption, app, err, exits
from nlp.config import PATHS, settings


@app.command("app")
def run_app(
    db: Optional[str] = DbOption,
    port: int = typer.Option(8501, "--port", help="The port to serve on."),
    address: str = typer.Option("127.0.0.1", "--address", help="The address to bind (127.0.0.1 unless you mean otherwise)."),
) -> None:
    """Open the reviewer app (Streamlit) on the results that `check` stored.

    Example: xxgk app --db xxgk.sqlite --port 8501
    """
    with exits():
        db = db or settings().db
    env = {**os.environ, "XXGK_DB": str(Path(db).resolve())}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(PATHS.app),
        "--server.address", address, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.maxUploadSize", "20", "--client.toolbarMode", "minimal",
    ]  # fmt: skip
    err.print(f"xxgk app on http://{address}:{port}  (store: {db}; Ctrl+C to stop)", highlight=False)
    raise typer.Exit(subprocess.call(cmd, env=env))
