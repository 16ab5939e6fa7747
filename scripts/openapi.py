#!/usr/bin/env python
"""Write (or compare) docs/openapi.json, the HTTP API's OpenAPI document (what `xxgk serve`
serves at /openapi.json). tests/service/test_api.py keeps the committed copy equal.

    .venv/bin/python scripts/openapi.py            # compare; exit 1 if it differs
    .venv/bin/python scripts/openapi.py --update   # re-write it
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "openapi.json"


def current() -> str:
    from nlp.pipeline import Checker
    from nlp.service import create_app

    with tempfile.TemporaryDirectory() as tmp:  # the document does not depend on the store or the token
        app = create_app(db=":memory:", token_file=Path(tmp) / "token", checker=Checker("rules"))
        return json.dumps(app.openapi(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="re-write docs/openapi.json")
    args = ap.parse_args()
    now = current()
    if args.update:
        DOC.write_text(now, "utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
        return 0
    same = DOC.exists() and DOC.read_text("utf-8") == now
    print("docs/openapi.json is current" if same else "docs/openapi.json differs: run scripts/openapi.py --update")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
