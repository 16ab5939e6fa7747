"""The README documents every command, and its two first commands are the ones CI runs."""

from __future__ import annotations

import re

import typer.main

from conftest import ROOT
from nlp.cli import app


def _commands(group, prefix=""):
    click_group = typer.main.get_command(group)
    for name, cmd in click_group.commands.items():
        if hasattr(cmd, "commands"):
            for sub in cmd.commands:
                yield f"{prefix}{name} {sub}"
        else:
            yield f"{prefix}{name}"


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _commands(app) if f"xxgk {c}" not in readme and not re.search(rf"xxgk {c.split()[0]} [^\n]*\b{c.split()[-1]}\b", readme)]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_every_command_has_an_example():
    click_group = typer.main.get_command(app)
    for name, cmd in click_group.commands.items():
        subs = cmd.commands.values() if hasattr(cmd, "commands") else [cmd]
        for sub in subs:
            assert "Example" in (sub.help or ""), f"xxgk {name} {sub.name}: no example in its docstring"


def test_every_setting_is_in_the_readme():
    from nlp.config import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [r["name"] for r in Settings().rows() if f"| `{r['name']}` | `{r['env']}` |" not in readme]
    assert not missing, f"settings not in README.md's table: {missing}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1).splitlines()
    first_two = [line.split("#")[0].strip() for line in block[:2]]
    assert first_two == ["scripts/demo.sh", "scripts/test.sh"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "exec scripts/test.sh" in ci
