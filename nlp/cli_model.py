"""``xxgk model train|eval``: build and score the claim classifier."""

from __future__ import annotations

import typer

app = typer.Typer(help="Train and evaluate the claim classifier.", no_args_is_help=True)
