"""``xxgk queue push|pull|config`` and ``xxgk ls install|start|stop|status|backend``: the Label Studio
queue. Each command parses its options, calls one function of ``nlp.queue`` or
``nlp.lsserver`` and prints the result; a library error becomes one line and exit code 2.
Secrets are never printed: ``ls start`` names the file that holds the password.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional, TypeVar

import typer

from nlp.cli import DbOption, err, out

app = typer.Typer(help="The annotation queue in Label Studio.", no_args_is_help=True)
ls_app = typer.Typer(help="Run the project's local Label Studio server.", no_args_is_help=True)

T = TypeVar("T")

# Options shared by several commands (defined once).
PortOption = typer.Option(None, "--port", envvar="XXGK_LS_PORT", help="Server port (default 18080; 0 picks a free one).")
DataDirOption = typer.Option(None, "--data-dir", envvar="XXGK_LS_DATA_DIR", help="Label Studio's data folder (default .labelstudio/).")
ProjectOption = typer.Option("xxgk claims review", "--project", help="The Label Studio project's title.")
RetriesOption = typer.Option(None, "--retries", envvar="XXGK_LS_RETRIES", help="Tries per request before giving up (default 5).")


def _client(port: Optional[int], data_dir: Optional[Path]):
    """A client for the recorded server, or for 127.0.0.1:PORT when a port is given."""
    from nlp import lsserver

    cfg = lsserver.ServerConfig.from_env(data_dir=data_dir, port=port)
    return lsserver.connect(cfg, url=f"http://{lsserver.HOST}:{port}" if port else None)


def _run(fn: Callable[[], T]) -> T:
    from nlp.errors import XxgkError

    try:
        return fn()
    except XxgkError as e:
        err.print(f"[red]error[/red] {e}", highlight=False)
        raise typer.Exit(2)


def _say(msg: str) -> None:
    err.print(msg, highlight=False)


@app.command()
def push(
    db: str = DbOption,
    from_json: Optional[Path] = typer.Option(None, "--from-json", help="Read check results from JSON Lines (xxgk check --format json) instead of the store."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Queue claims whose review score is below this (default: the check's needs_review)."),
    project: str = ProjectOption,
    batch_size: int = typer.Option(200, "--batch-size", help="Tasks per import request."),
    retries: Optional[int] = RetriesOption,
    port: Optional[int] = PortOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Send the claims that need review (needs_review, or ambiguous) to Label Studio, once each.

    Example: xxgk queue push --db xxgk.sqlite
    """
    from nlp import queue

    def go() -> queue.PushReport:
        items = (
            queue.items_from_jsonl(from_json, threshold) if from_json else queue.items_from_store(Path(db), threshold)
        )
        client = _client(port, data_dir)
        return queue.push(
            items, client, project_title=project, batch_size=batch_size,
            retry=queue.RetryPolicy.from_env(retries), progress=_say,
        )  # fmt: skip

    out.print(str(_run(go)), highlight=False)


@app.command()
def pull(
    out_dir: Path = typer.Option(Path("annotations"), "--out", help="Folder of annotations.jsonl."),
    project: str = ProjectOption,
    full: bool = typer.Option(False, "--full", help="Read every annotated task, not only those changed since the last pull."),
    retries: Optional[int] = RetriesOption,
    port: Optional[int] = PortOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Append the annotators' new and updated annotations to annotations/annotations.jsonl.

    Example: xxgk queue pull --out annotations/
    """
    from nlp import queue

    def go() -> queue.PullReport:
        client = _client(port, data_dir)
        return queue.pull(client, out_dir, project_title=project, full=full, retry=queue.RetryPolicy.from_env(retries))

    out.print(str(_run(go)), highlight=False)


@app.command("config")
def config(
    path: Path = typer.Option(Path("annotations/label_config.xml"), "--out", help="Where to write the XML."),
) -> None:
    """Regenerate the labelling config from the metric label set (nlp.metrics.LABELS).

    Example: xxgk queue config --out annotations/label_config.xml
    """
    from nlp import queue

    out.print(f"wrote {queue.write_label_config(path)}", highlight=False)


def _ls(command: str, port: Optional[int], data_dir: Optional[Path]) -> None:
    from nlp import lsserver

    cfg = lsserver.ServerConfig.from_env(data_dir=data_dir, port=port)
    for line in _run(lambda: lsserver.describe(command, cfg)):
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
def status(port: Optional[int] = PortOption, data_dir: Optional[Path] = DataDirOption) -> None:
    """Say whether the server runs, where, and where its login and token come from (never the secrets).

    Example: xxgk ls status
    """
    _ls("status", port, data_dir)


@ls_app.command()
def backend(
    port: int = typer.Option(9090, "--port", help="Port on 127.0.0.1 (0 picks a free one)."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Serve the claim model as a Label Studio ML backend (fresh predictions when a task opens).

    Example: xxgk ls backend --port 9090
    """
    from nlp import ml_backend

    _run(lambda: ml_backend.serve(port, data_dir))
