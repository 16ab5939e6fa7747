"""``xxgk ls install|start|stop|status|backend``: the project's local Label Studio server and
the claim model as its ML backend.

Each command calls one function of ``nlp.review.server`` (or ``nlp.review.backend``) and prints
the lines it returns; a library error becomes one line and exit code 2 (``exits``). Secrets are
never printed: ``ls start`` names the file that holds the password. ``scripts/labelstudio.sh``
runs these commands without the venv being active.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from nlp.review import server
from nlp.cli._util import DataDirOption, PortOption, ServerPortOption, exits, ls_app, out


def _ls(command: str, port: Optional[int], data_dir: Optional[Path]) -> None:
    with exits():
        cfg = server.ServerConfig.from_env(data_dir=data_dir, port=port)
        lines = server.describe(command, cfg)
    for line in lines:
        out.print(line, highlight=False)


@ls_app.command()
def install(data_dir: Optional[Path] = DataDirOption) -> None:
    """Install label-studio into its own virtual environment .ls-venv/ (about 2 minutes, once).

    Example: xxgk ls install
    """
    _ls("install", None, data_dir)


@ls_app.command()
def start(port: Optional[int] = PortOption, data_dir: Optional[Path] = DataDirOption) -> None:
    """Start Label Studio on 127.0.0.1 (installing it first if needed) and wait until it answers.

    Example: xxgk ls start --port 18080
    """
    _ls("start", port, data_dir)


@ls_app.command()
def stop(data_dir: Optional[Path] = DataDirOption) -> None:
    """Stop the server started by xxgk ls start (by the pid it recorded).

    Example: xxgk ls stop
    """
    _ls("stop", None, data_dir)


@ls_app.command()
def status(port: Optional[int] = ServerPortOption, data_dir: Optional[Path] = DataDirOption) -> None:
    """Say whether the server runs, where, and where its login and token come from (never the secrets).

    Example: xxgk ls status
    """
    _ls("status", port, data_dir)


@ls_app.command()
def backend(
    port: Optional[int] = typer.Option(None, "--port", help="Port on 127.0.0.1 (default: the ls_backend_port setting, 9090; 0 picks a free one).", show_default=False),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Serve the claim model as a Label Studio ML backend (fresh predictions when a task opens).

    Example: xxgk ls backend --port 9090
    """
    from nlp.review.backend import serve

    with exits():
        serve(port, data_dir)
