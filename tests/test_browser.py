"""The real app in a real browser: ``streamlit run`` on a store holding the checked seeds,
driven by headless Chromium (Debian's ``chromium`` + ``chromium-driver``, Chinese glyphs from
``fonts-noto-cjk``) through Selenium. Opens seed 002's report by ``?sha=``, finds its
行政诉讼 mismatch, saves a decision through the form, and writes a full-page screenshot
to ``artifacts/report_002.png`` (and the overview to ``artifacts/overview.png``).
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import seed_path
from nlp.pipeline import check
from nlp.store import Store

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1600,1200", "--lang=zh-CN",
)

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium "
                "chromium-driver fonts-noto-cjk)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "seeds.sqlite"
    store = Store(path)
    for prefix in ("000", "001", "002", "003", "004"):
        store.save(check(seed_path(prefix)))
    store.close()
    return path


@pytest.fixture(scope="module")
def server(db: Path, tmp_path_factory):
    """The app, as ``xxgk app`` starts it, on a free port of 127.0.0.1."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("log") / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "streamlit_app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        env={**os.environ, "XXGK_DB": str(db)}, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail(f"streamlit did not start: see {log.name}")
        time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="xxgk-chromium-")
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _wait_for(driver, selector: str, text: str, timeout: float = 60):
    """The first element matching ``selector`` whose text contains ``text``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d):
        for el in d.find_elements(By.CSS_SELECTOR, selector):
            try:
                if text in el.text:
                    return el
            except Exception:  # re-rendered under us: look again
                pass
        return False

    return WebDriverWait(driver, timeout, poll_frequency=0.3).until(found)


def _wait_idle(driver, timeout: float = 60) -> None:
    """Until Streamlit has finished running the script (no 'running' status widget)."""
    from selenium.webdriver.common.by import By

    deadline = time.time() + timeout
    quiet = 0
    while time.time() < deadline and quiet < 3:
        running = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]')
        quiet = 0 if running else quiet + 1
        time.sleep(0.3)


def _expand_sidebar(driver) -> None:
    from selenium.webdriver.common.by import By

    for button in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stExpandSidebarButton"]'):
        if button.is_displayed():
            button.click()
            time.sleep(1)


def full_page_screenshot(driver, path: Path, max_height: int = 9000) -> None:
    """Capture the whole page: Streamlit scrolls inside its main block, so the viewport is
    grown to the content's height before a CDP ``Page.captureScreenshot``."""
    _expand_sidebar(driver)
    height = driver.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]') || document.body;"
        "return Math.max(m.scrollHeight, document.body.scrollHeight);"
    )
    height = min(int(height) + 40, max_height)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1600, "height": height, "deviceScaleFactor": 1, "mobile": False})
    time.sleep(1.5)  # let the grid and charts lay out again at the new size
    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _sha(db: Path, prefix: str) -> str:
    return next(r["sha256"] for r in Store(db).overview() if Path(r["source"]).name.startswith(prefix))


def test_overview_in_a_browser(server: str, driver):
    driver.get(server)  # the default page lives at the root
    _wait_for(driver, "h1", "总览")
    _wait_for(driver, '[data-testid="stDataFrame"]', "")
    _wait_idle(driver)
    full_page_screenshot(driver, ARTIFACTS / "overview.png")
    assert (ARTIFACTS / "overview.png").stat().st_size > 20_000


def test_report_002_shows_the_litigation_mismatch(server: str, driver, db: Path):
    driver.get(f"{server}/report?sha={_sha(db, '002')}")
    flagged = _wait_for(driver, '[data-testid="stMarkdown"]', "行政诉讼")
    assert "申请行政诉讼8件" in flagged.text
    assert "需复核" in flagged.text or "不一致" in flagged.text
    assert "12" in flagged.text  # the table's figure beside the claim's 8
    _wait_for(driver, '[data-testid="stTable"]', "复议后起诉")
    narrative = _wait_for(driver, '[data-testid="stHtml"]', "申请行政诉讼8件")
    assert "行政诉讼数" in narrative.text
    _wait_idle(driver)
    full_page_screenshot(driver, ARTIFACTS / "report_002.png")
    assert (ARTIFACTS / "report_002.png").stat().st_size > 50_000


def test_a_decision_saved_in_the_browser_is_stored(server: str, driver, db: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sha = _sha(db, "002")
    driver.get(f"{server}/report?sha={sha}")
    _wait_for(driver, '[data-testid="stMarkdown"]', "行政诉讼")
    _wait_idle(driver)
    name = _wait_for(driver, '[data-testid="stSidebar"] [data-testid="stTextInput"] input', "")
    name.send_keys("浏览器复核员", Keys.ENTER)
    _wait_idle(driver)
    expander = _wait_for(driver, '[data-testid="stExpander"] summary', "复核: 申请行政诉讼8件")
    expander.click()
    form = _wait_for(driver, '[data-testid="stForm"]', "保存结论")
    form.find_elements(By.CSS_SELECTOR, 'input[type="text"]')[0].send_keys("诉讼共12件")
    [b for b in form.find_elements(By.CSS_SELECTOR, "button") if "保存结论" in b.text][0].click()
    _wait_for(driver, '[data-testid="stAlert"]', "已保存")
    [decision] = Store(db).decisions()
    assert (decision["reviewer"], decision["comment"], decision["item_kind"]) == ("浏览器复核员", "诉讼共12件", "claim")
