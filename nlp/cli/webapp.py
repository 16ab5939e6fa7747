"""``xxgk app``: the Streamlit reviewer app over the results ``xxgk check`` stored.

The store is opened first (a missing file, a missing folder or a file that is not a store is
one line and exit 2, before anything starts; ``--new`` starts an empty store), the port is
tried (busy: one line, exit 2), and only then is the app announced and Streamlit started *in
this process* (``exec``): the pid ``xxgk app`` was started with is the server's, so stopping
it by its pid (TERM, INT) stops the server.

(Named ``webapp``, not ``app``: ``nlp.cli.app`` is the Typer application, spaCy's name.)
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Optional

import typer

from nlp.cli._util import DbOption, app, err, exits
from nlp.config import PATHS, settings
from nlp.errors import Errors, XxgkError
from nlp.store import Store


def check_port(address: str, port: int) -> None:
    """Raise E024 if ``address:port`` cannot be listened on (another server holds it)."""
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            raise XxgkError(Errors.E024, port=port, address=address) from None


def open_store(db: str, new: bool) -> bool:
    """Check the store the app will show: it exists (or ``new``: create it) and is a store.
    Returns True if it can only be read."""
    with Store(db, create=new) as store:
        return store.readonly


@app.command("app")
def run_app(
    db: Optional[str] = DbOption,
    port: int = typer.Option(8501, "--port", help="The port to serve on.", metavar="PORT"),
    address: str = typer.Option("127.0.0.1", "--address", help="The address to bind (127.0.0.1 unless you mean otherwise).",
                                metavar="ADDRESS"),
    new: bool = typer.Option(False, "--new", help="Create the store if it does not exist yet (otherwise a missing store is an error)."),
) -> None:
    """Open the reviewer app (Streamlit) on the results that `check` stored.

    Example: xxgk app --db xxgk.sqlite --port 8501
    """
    with exits():
        db = str(Path(db or settings().db).resolve())
        readonly = open_store(db, new)
        check_port(address, port)
    env = {**os.environ, "XXGK_DB": db}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(PATHS.app),
        "--server.address", address, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.maxUploadSize", "20", "--client.toolbarMode", "minimal",
    ]  # fmt: skip
    note = "; read-only: decisions cannot be saved" if readonly else ""
    err.print(f"xxgk app on http://{address}:{port}  (store: {db}{note}; Ctrl+C to stop)", highlight=False)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, cmd, env)  # this process becomes the server: its pid stops it
