"""The command line's wording (issue 13 item 11): --help shows options and arguments as people
read them, never Python annotations; "0 picks a free one" only where a port is listened on;
no "stored in" when nothing was stored."""

from __future__ import annotations

import re

import typer.main
from typer.testing import CliRunner

from conftest import xxgk
from nlp.cli import app

PYTHON_WORDS = re.compile(r"<bool>|<str>|<int>|<float>|<path>|<list\[|\{[a-z_]+\}|list\[Path\]")


def _commands() -> list[list[str]]:
    group = typer.main.get_command(app)
    out = [[]]
    for name, cmd in group.commands.items():
        out.append([name])
        out += [[name, sub] for sub in getattr(cmd, "commands", {})]
    return out


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, (args, result.output)
    return result.output


def test_help_shows_no_python_annotations():
    for args in _commands():
        text = _help(args)
        assert not PYTHON_WORDS.search(text), (args, PYTHON_WORDS.search(text).group(0))
    check = _help(["check"])
    assert "xxgk check [OPTIONS] [PATHS...]" in check  # optional: a --manifest can name the inputs
    assert re.search(r"--db\s+FILE", check) and re.search(r"--format\s+-f\s+table\|json", check)


def test_a_free_port_is_offered_only_where_a_port_is_listened_on():
    for args in (["ls", "status"], ["queue", "push"], ["queue", "pull"]):
        assert "0 picks a free one" not in _help(args), args
    for args in (["ls", "start"], ["ls", "backend"]):
        assert "0 picks a free one" in _help(args), args


def test_nothing_stored_is_not_said_to_be_stored(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = xxgk("check", str(empty), "--db", str(tmp_path / "x.sqlite"))
    assert proc.returncode == 1
    assert "checked 0 report(s), 1 failed" in proc.stderr and "stored in" not in proc.stderr
