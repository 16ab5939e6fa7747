#!/usr/bin/env bash
# The project's Label Studio server without the project venv being active:
#   scripts/labelstudio.sh install|start|stop|status [--port N] [--data-dir DIR]
# It runs nlp/lsserver.py with the project's .venv python when there is one (the SDK is
# needed only for push/pull), else with any python3 >= 3.10 (the lifecycle needs only the
# standard library). Same as `xxgk ls …`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY="$(command -v python3)"
cd "$ROOT"
exec env PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m nlp.lsserver "$@"
