"""``xxgk config``: each effective setting, its value and where it came from (default,
environment, file), as a table or JSON. A thin wrapper over ``nlp.config.Settings``."""

from __future__ import annotations

import json
import sys

from rich.table import Table

from nlp.cli._util import Format, FormatOption, app, exits, out
from nlp.config import config_file, settings


@app.command("config")
def show_config(fmt: Format = FormatOption) -> None:
    """Show every setting, its value and where it came from (default, environment, file).

    --format json adds each one's environment variable and meaning. Settings come from the environment, else from xxgk.toml in the working folder (or the
    file XXGK_CONFIG names), else from the defaults.

    Example: xxgk config --format json
    """
    with exits():
        path, rows = config_file(), settings().rows()
    if fmt is Format.json:
        sys.stdout.write(json.dumps({"config_file": str(path) if path else None, "settings": rows}, ensure_ascii=False) + "\n")
        return
    t = Table(title=f"configuration file: {path or 'none'}", title_justify="left")
    t.add_column("setting", no_wrap=True)
    t.add_column("value", overflow="fold", ratio=3)
    t.add_column("from", overflow="fold", ratio=2)
    for r in rows:
        value = repr(r["value"]) if isinstance(r["value"], str) else str(r["value"])
        source = "file" if r["source"].startswith("file ") else r["source"]
        t.add_row(r["name"], value, source, style=None if source == "default" else "bold")
    out.print(t, highlight=False)
