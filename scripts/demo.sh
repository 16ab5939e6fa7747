#!/usr/bin/env bash
# Sets everything up and checks the bundled sample reports with the bundled model,
# printing a summary and writing the SQLite file (default xxgk.sqlite; XXGK_DB to change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/xxgk check samples/ --format table --db "${XXGK_DB:-xxgk.sqlite}" "$@"
