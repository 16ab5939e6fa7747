"""What every command shares: the Typer ``app``, the consoles, the shared options and the one
error boundary (spaCy's ``cli/_util.py``).

A leaf: it imports no command module, so any command module can be imported first.

- ``app``: the ``xxgk`` Typer application, with its groups ``model_app``, ``queue_app`` and
  ``ls_app`` added here, once (a module runs once, so registration cannot repeat); the
  command modules decorate their functions onto them when ``nlp.cli`` imports them.
- ``out`` / ``err``: Rich consoles for results (stdout) and for messages (stderr).
- ``DbOption``, ``FormatOption``, ``ModelOption``, ``PortOption`` (to listen on),
  ``ServerPortOption`` (to reach a running server), ``DataDirOption``,
  ``ProjectOption``, ``RetriesOption``: options defined once. Those whose default is a
  setting default to None here; the command resolves them with ``nlp.config.settings()`` when
  it runs, so ``xxgk config`` shows what applies.
- :func:`exits`: the one boundary where a library ``XxgkError`` becomes one red line on
  stderr and exit code 2 (sqlite-utils' ``ClickException`` at the CLI edge).
- ``HelpCommand`` / ``HelpGroup``: ``--help`` as people read it — a flag shows no type, an
  argument its name (``PATH...``), never Python annotations (``<bool>``, ``<list[Path]>``).
"""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from typing import Iterator

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from nlp.errors import XxgkError


_METAVARS = {"str": "TEXT", "int": "N", "float": "NUMBER", "path": "PATH", "bool": ""}


def _plain(param: object, ctx: typer.Context) -> None:
    """A parameter's help without its Python type: a flag shows none, a value its kind in
    capitals (TEXT, N, PATH; a choice its choices), an argument its upper-case name."""
    if isinstance(param, TyperOption) and param.metavar is None:
        kind = "" if param.is_flag else param.display_type(ctx).strip("<>")
        param.metavar = _METAVARS.get(kind, kind)  # the help column shows it instead of "<bool>"
    elif isinstance(param, TyperArgument):
        param.metavar = param.metavar or (param.name or "").upper()
        param.display_type_rich = lambda ctx: None  # not "<list[Path]>": the name says it


class HelpCommand(TyperCommand):
    """A command whose --help shows options and arguments without Python annotations, and
    its usage as ``xxgk check [OPTIONS] PATH...``."""

    def get_params(self, ctx: typer.Context) -> list:
        params = super().get_params(ctx)
        for p in params:
            _plain(p, ctx)
        return params

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for p in self.get_params(ctx):
            if isinstance(p, TyperArgument):
                name = f"{p.metavar}{'...' if p.nargs != 1 else ''}"
                pieces.append(name if p.required else f"[{name}]")
        return pieces


class HelpGroup(TyperGroup):
    """A command group whose --help shows no ``<bool>`` beside --help."""

    def get_params(self, ctx: typer.Context) -> list:
        params = super().get_params(ctx)
        for p in params:
            _plain(p, ctx)
        return params


class Typer(typer.Typer):
    """``typer.Typer`` whose groups and commands render their help plainly (``HelpGroup``,
    ``HelpCommand``): make a command group with this one (``tests/cli/test_help.py`` checks
    every command's help)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cls=HelpGroup, **kwargs)

    def command(self, *args: object, cls: object = None, **kwargs: object):  # type: ignore[override]
        return super().command(*args, cls=cls or HelpCommand, **kwargs)


app = Typer(
    name="xxgk",
    help="Audit 政府信息公开工作年度报告: tables, claims, reconciliation.",
    no_args_is_help=True,
    add_completion=False,
)

model_app = Typer(help="Train and evaluate the claim classifier.", no_args_is_help=True)
queue_app = Typer(help="The annotation queue in Label Studio.", no_args_is_help=True)
ls_app = Typer(help="Run the project's local Label Studio server.", no_args_is_help=True)
app.add_typer(model_app, name="model")
app.add_typer(queue_app, name="queue")
app.add_typer(ls_app, name="ls")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

EXIT_ERROR = 2
"""The exit code of a command stopped by an ``XxgkError``."""


class Format(str, Enum):
    table = "table"
    json = "json"


# Options shared by several commands (defined once). A default of None means: the setting.
DbOption = typer.Option(
    None, "--db", help="The SQLite file results are stored in (default: the db setting, xxgk.sqlite).", show_default=False,
    metavar="FILE",
)
FormatOption = typer.Option(
    Format.table, "--format", "-f", help="table: a readable summary; json: one JSON object a report or answer (JSON Lines for several)."
)
ModelOption = typer.Option(
    None, "--model", help="A model file, or 'rules' for the rules-only baseline (default: the model setting, the bundled model).",
    show_default=False, metavar="FILE|rules",
)
PortOption = typer.Option(
    None, "--port", help="Label Studio's port (default: the ls_port setting, 18080; 0 picks a free one).", show_default=False
)
ServerPortOption = typer.Option(
    None, "--port", help="The port Label Studio listens on (default: the ls_port setting, 18080).", show_default=False
)
DataDirOption = typer.Option(
    None, "--data-dir", help="Label Studio's data folder (default: the ls_data_dir setting, .labelstudio/).", show_default=False
)
ProjectOption = typer.Option(
    None, "--project", help="The Label Studio project's title (default: the ls_project setting).", show_default=False
)
RetriesOption = typer.Option(
    None, "--retries", help="Tries per request before giving up (default: the ls_retries setting).", show_default=False
)


def error_line(message: str) -> None:
    """Print one red ``error …`` line on stderr (the message is not read as markup)."""
    err.print(f"[red]error[/red] {escape(message)}", highlight=False)


@contextmanager
def exits() -> Iterator[None]:
    """The one error boundary: an ``XxgkError`` raised inside becomes one red line on stderr
    and exit code 2.

    >>> with exits():                                   # doctest: +SKIP
    ...     Store(db)
    """
    try:
        yield
    except XxgkError as e:
        error_line(str(e))
        raise typer.Exit(EXIT_ERROR) from None
