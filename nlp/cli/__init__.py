"""The ``xxgk`` command line (Typer + Rich), one module per command or group:

    _util.py    the app, the consoles, the shared options, the one error boundary (a leaf)
    check.py    xxgk check            a thin wrapper over nlp.pipeline.check_batch
    webapp.py   xxgk app              the Streamlit reviewer app
    report.py   xxgk report           the 问题清单 and the 通报 (Word) from the store
    config.py   xxgk config           each effective setting and where it came from
    export.py   xxgk export           Parquet, CSV or Excel of the store (nlp.export)
    serve.py    xxgk serve            the HTTP API (nlp.service)
    model.py    xxgk model train|eval
    queue.py    xxgk queue push|pull|suggest|config
    ls.py       xxgk ls install|start|stop|status|backend
    units.py    xxgk units list|alias|unalias|coverage
    render.py   terminal rendering (Rich) of results and progress

Importing this package imports every command module, which registers its commands on
``_util.app`` (spaCy's ``cli/__init__.py``); any module of it can be imported first. Each
command parses its input, calls one library function and renders the result; an
``XxgkError`` becomes one red line and exit code 2 at ``_util.exits``. Nothing but
``nlp.__main__`` imports this package (an import-linter contract).
"""

from nlp.cli._util import app
# Each registers its commands on _util.app, in this order in --help.
from nlp.cli import check, export, serve, webapp, report, config, model, queue, ls, units  # noqa: F401,I001

__all__ = ["app", "main"]


def main() -> None:
    """The ``xxgk`` console script (``python -m nlp`` too)."""
    app()
