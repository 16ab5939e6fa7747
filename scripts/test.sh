#!/usr/bin/env bash
# Sets up everything the tests need and runs the whole suite:
#   the project venv with test extras, Debian's Chromium + ChromeDriver + CJK fonts (browser
#   test), LibreOffice's writer (the .doc/.wps reader's tests), and Label Studio in its own venv
#   (.ls-venv) for the queue's integration tests. The OCR extra is not installed here: its tests
#   (marked ocr) are skipped; `pip install '.[ocr]'` runs them (minutes of OCR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  echo "test: installing chromium, chromium-driver, fonts-noto-cjk from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >&2
fi
if ! command -v soffice >/dev/null 2>&1; then
  # .doc/.wps are read through LibreOffice (tests marked libreoffice; about a minute to install)
  echo "test: installing libreoffice-writer-nogui from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >&2
fi
.venv/bin/xxgk ls install >&2
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
