#!/usr/bin/env bash
# The project's Label Studio server without the project venv being active:
#   scripts/labelstudio.sh install|start|stop|status [--port N] [--data-dir DIR]
# The same as `xxgk ls …` (it runs `python -m nlp ls …` with the project's .venv python, from
# any working folder). Without .venv, run scripts/setup.sh first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
if [ ! -x "$PY" ]; then
  echo "labelstudio.sh: no project environment in $ROOT/.venv: run scripts/setup.sh first" >&2
  exit 2
fi
exec env PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m nlp ls "$@"
