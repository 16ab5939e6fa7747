"""Time the reviewer app's report page (报告详情) on the store of every sample and corpus report.

Two figures per report, each the median of ``--runs`` (5) loads:

- **browser**: headless Chromium opens ``/report?sha=…`` in a fresh page load (the app's
  JavaScript, the websocket, the script run, the drawing) until the page has settled (the
  tabs are drawn, no element is stale, Streamlit's running indicator is gone) — what a
  reviewer waits for. Needs Debian's ``chromium`` and ``chromium-driver``.
- **server**: the page's script alone under Streamlit's AppTest, its query cache emptied
  before each run (a first visit) — the part the store and the page's code cost.

    .venv/bin/python scripts/bench_app.py                # checks samples/ and data/corpus/ into a temporary store
    .venv/bin/python scripts/bench_app.py --db xxgk.sqlite --runs 5

Prints one line per report and the median over reports (a typical report).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app" / "streamlit_app.py"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def build_store(path: Path) -> None:
    """Check every sample and corpus report into ``path`` (as ``xxgk check`` does)."""
    from nlp.pipeline import Checker, check_batch
    from nlp.store import Store

    with Store(path) as store:
        for outcome in check_batch([ROOT / "samples", ROOT / "data" / "corpus"], Checker(), store):
            if outcome.error:
                print(f"  skipped: {outcome.error}", file=sys.stderr)


def server_times(db: Path, shas: list[str], runs: int) -> dict[str, float]:
    """Median seconds of the report page's script under AppTest, cache emptied each run."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["XXGK_DB"] = str(db)
    out = {}
    for sha in shas:
        times = []
        for _ in range(runs):
            st.cache_data.clear()
            at = AppTest.from_file(str(APP), default_timeout=120)
            at.switch_page("views/report.py")
            at.query_params["sha"] = sha
            t = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t)
            assert not at.exception, at.exception
        out[sha] = statistics.median(times)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settled(driver) -> bool:
    return bool(driver.execute_script(
        "return !!document.querySelector('[data-testid=\"stTabs\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]');"))


def browser_times(db: Path, shas: list[str], runs: int) -> dict[str, float]:
    """Median seconds from navigation to a settled report page in headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    port = _free_port()
    log = open(os.devnull, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "nlp", "app", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="xxgk-bench-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1600,1200",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = None
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("xxgk app did not start")
                time.sleep(0.3)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        driver.get(f"{url}/report?sha={shas[0]}")  # the browser's cache warm, as a reviewer's is
        time.sleep(3)
        out = {}
        for sha in shas:
            times = []
            for _ in range(runs):
                driver.get("about:blank")
                t = time.perf_counter()
                driver.get(f"{url}/report?sha={sha}")
                quiet = 0
                while quiet < 3 and time.perf_counter() - t < 60:
                    quiet = quiet + 1 if _settled(driver) else 0
                    time.sleep(0.05)
                times.append(time.perf_counter() - t - 0.1)  # less the two quiet polls after it settled
            out[sha] = statistics.median(times)
        return out
    finally:
        if driver is not None:
            driver.quit()
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="a store to time (default: check samples/ and data/corpus/ into a temporary one)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true", help="only the server figure")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from nlp.store import Store

    tmp = None
    db = args.db
    if db is None:
        tmp = Path(tempfile.mkdtemp(prefix="xxgk-bench-app-"))
        db = tmp / "all.sqlite"
        print(f"checking samples/ and data/corpus/ into {db} …", file=sys.stderr)
        build_store(db)
    with Store(db, create=False) as store:
        reports = {r["sha256"]: (Path(r["source"]).name, r["claims"], r["findings"]) for r in store.overview()}
    shas = list(reports)
    server = server_times(db, shas, args.runs)
    browser = {} if args.no_browser or not os.path.exists(CHROMEDRIVER) else browser_times(db, shas, args.runs)
    print(f"report page, median of {args.runs} loads ({len(shas)} reports in the store)")
    print(f"{'report':<40} {'claims':>6} {'findings':>8} {'browser s':>10} {'server s':>9}")
    for sha in shas:
        name, claims, findings = reports[sha]
        b = f"{browser[sha]:.2f}" if sha in browser else "—"
        print(f"{name:<40} {claims:>6} {findings:>8} {b:>10} {server[sha]:>9.2f}")
    if browser:
        print(f"typical report (median over reports): browser {statistics.median(browser.values()):.2f} s,"
              f" server {statistics.median(server.values()):.2f} s; slowest: browser {max(browser.values()):.2f} s")
    else:
        print(f"typical report (median over reports): server {statistics.median(server.values()):.2f} s")
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
