"""The real app in a real browser: ``xxgk app`` on a store holding the checked seeds, driven
by headless Chromium (Debian's ``chromium`` + ``chromium-driver``, Chinese glyphs from
``fonts-noto-cjk``) through Selenium, at 1600 px.

What only a browser shows (issue 13): the grids fit the screen (item 5); the reviewer's name
outlives a new tab and a reload, and a refused save keeps what was typed (item 2); no
Streamlit English on screen (item 8); the narrative's labels stay on their line (item 9); a
decision saved through the form is stored. Screenshots go to ``artifacts/``: overview.png,
report_002.png (its findings), report_002_narrative.png, report_002_tables.png, review.png.
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
WIDTH = 1600
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", f"--window-size={WIDTH},1200", "--lang=zh-CN",
)
STREAMLIT_ENGLISH = ("Upload", "Browse files", "per file", "Drag and drop", "Press Enter", "Select all")

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
    """The app as a reviewer starts it: ``xxgk app --db … --port …`` on 127.0.0.1."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("log") / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlp", "app", "--db", str(db), "--port", str(port)],
        env={**os.environ, "XXGK_ANNOTATIONS_DIR": str(tmp_path_factory.mktemp("annotations"))},
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
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
            pytest.fail(f"xxgk app did not start: see {log.name}")
        time.sleep(0.3)
    yield url
    proc.terminate()  # its pid is the server's (xxgk app execs streamlit)
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
                           {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False})
    time.sleep(1.5)  # let the grid and charts lay out again at the new size
    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _sha(db: Path, prefix: str) -> str:
    return next(r["sha256"] for r in Store(db).overview() if Path(r["source"]).name.startswith(prefix))


def _grid_overflow(driver) -> list:
    """Every grid (st.dataframe) that scrolls sideways inside itself: [scrollWidth, clientWidth]."""
    return driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=\"stDataFrame\"] .dvn-scroller')]"
        ".filter(el => el.scrollWidth > el.clientWidth + 2).map(el => [el.scrollWidth, el.clientWidth]);")


def _open_tab(driver, label: str) -> None:
    tab = _wait_for(driver, '[data-testid="stTab"]', label)
    tab.click()
    _wait_idle(driver)


def _visible_text(driver) -> str:
    return driver.execute_script("return document.querySelector('[data-testid=\"stMain\"]').innerText")


def test_overview_in_a_browser_fits_its_grid(server: str, driver):
    driver.get(server)  # the default page lives at the root
    _wait_for(driver, "h1", "总览")
    _wait_for(driver, '[data-testid="stDataFrame"]', "")
    _wait_idle(driver)
    assert _grid_overflow(driver) == []  # 不一致, 需复核, 错误, 警告, 待复核 without scrolling (item 5)
    full_page_screenshot(driver, ARTIFACTS / "overview.png")
    assert (ARTIFACTS / "overview.png").stat().st_size > 20_000


def test_a_refused_save_keeps_the_comment_in_the_browser(server: str, driver, db: Path):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/report?sha={_sha(db, '002')}")
    _wait_for(driver, '[data-testid="stMarkdown"]', "行政诉讼")
    _wait_idle(driver)
    _wait_for(driver, '[data-testid="stExpander"] summary', "复核或更正: 申请行政诉讼8件").click()
    form = _wait_for(driver, '[data-testid="stForm"]', "保存结论")
    _wait_idle(driver)
    form.find_elements(By.CSS_SELECTOR, 'label[data-testid="stRadioOption"]')[1].click()  # 误报
    comment = form.find_elements(By.CSS_SELECTOR, 'input[type="text"]')[0]
    comment.send_keys("叙述只算了复议后起诉")
    assert "Press Enter" not in _visible_text(driver)  # the form hint is hidden (item 8)
    [b for b in form.find_elements(By.CSS_SELECTOR, "button") if "保存结论" in b.text][0].click()
    _wait_for(driver, '[data-testid="stAlert"]', "复核人")
    _wait_idle(driver)
    form = _wait_for(driver, '[data-testid="stForm"]', "保存结论")
    assert form.find_elements(By.CSS_SELECTOR, 'input[type="text"]')[0].get_attribute("value") == "叙述只算了复议后起诉"
    assert Store(db).decisions() == []


def test_report_002_findings_narrative_and_tables(server: str, driver, db: Path):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/report?sha={_sha(db, '002')}")
    flagged = _wait_for(driver, '[data-testid="stMarkdown"]', "行政诉讼")
    assert "申请行政诉讼8件" in flagged.text and "需复核" in flagged.text and "12" in flagged.text
    finding = _wait_for(driver, '[data-testid="stExpander"] summary', "单元格数字格式有误")
    finding.click()
    _wait_for(driver, '[data-testid="stMarkdown"]', "原文“00”")
    _wait_idle(driver)
    full_page_screenshot(driver, ARTIFACTS / "report_002.png")
    assert (ARTIFACTS / "report_002.png").stat().st_size > 50_000

    _open_tab(driver, "正文与声明")
    narrative = _wait_for(driver, '[data-testid="stHtml"]', "申请行政诉讼8件")
    tags = narrative.find_elements(By.CSS_SELECTOR, ".xt")
    assert tags and all(driver.execute_script("return arguments[0].getClientRects().length", t) == 1 for t in tags)
    heights = {round(t.rect["height"]) for t in tags}
    assert max(heights) <= 20  # one line of small text, not a label stacked under the claim (item 9)
    full_page_screenshot(driver, ARTIFACTS / "report_002_narrative.png")

    _open_tab(driver, "标准表格")
    _wait_for(driver, '[data-testid="stTable"]', "复议后起诉")
    full_page_screenshot(driver, ARTIFACTS / "report_002_tables.png")

    _open_tab(driver, "全部声明")
    _wait_for(driver, '[data-testid="stDataFrame"]', "")
    _wait_idle(driver)
    assert _grid_overflow(driver) == []  # 置信度 and 复核结论 in view (item 5)


def test_the_name_outlives_a_new_tab_and_a_reload_and_a_decision_is_stored(server: str, driver, db: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sha = _sha(db, "002")
    driver.get(f"{server}/report?sha={sha}")
    _wait_for(driver, '[data-testid="stMarkdown"]', "行政诉讼")
    _wait_idle(driver)
    name = _wait_for(driver, '[data-testid="stSidebar"] [data-testid="stTextInput"] input', "")
    name.clear()
    name.send_keys("浏览器复核员", Keys.ENTER)
    _wait_idle(driver)
    time.sleep(1)

    first = driver.current_window_handle
    driver.switch_to.new_window("tab")  # as the overview's 查看 links open one
    driver.get(f"{server}/report?sha={sha}")
    _wait_for(driver, '[data-testid="stMarkdown"]', "行政诉讼")
    _wait_idle(driver)
    field = _wait_for(driver, '[data-testid="stSidebar"] [data-testid="stTextInput"] input', "")
    assert field.get_attribute("value") == "浏览器复核员"
    driver.refresh()
    _wait_for(driver, '[data-testid="stMarkdown"]', "行政诉讼")
    _wait_idle(driver)
    field = _wait_for(driver, '[data-testid="stSidebar"] [data-testid="stTextInput"] input', "")
    assert field.get_attribute("value") == "浏览器复核员"

    _wait_for(driver, '[data-testid="stExpander"] summary', "复核或更正: 申请行政诉讼8件").click()
    form = _wait_for(driver, '[data-testid="stForm"]', "保存结论")
    _wait_idle(driver)
    form.find_elements(By.CSS_SELECTOR, 'label[data-testid="stRadioOption"]')[0].click()  # 确认问题
    form.find_elements(By.CSS_SELECTOR, 'input[type="text"]')[0].send_keys("诉讼共12件")
    [b for b in form.find_elements(By.CSS_SELECTOR, "button") if "保存结论" in b.text][0].click()
    _wait_for(driver, '[data-testid="stAlert"]', "已保存")
    saved = {(d["item_kind"], d["reviewer"], d["comment"]) for d in Store(db).decisions()}
    assert saved == {("claim", "浏览器复核员", "诉讼共12件"), ("finding", "浏览器复核员", "诉讼共12件")}
    driver.close()
    driver.switch_to.window(first)


def test_review_page_in_a_browser(server: str, driver):
    driver.get(f"{server}/review")
    _wait_for(driver, "h1", "复核")
    item = _wait_for(driver, '[data-testid="stExpander"] summary', "【")
    item.click()
    _wait_for(driver, '[data-testid="stForm"]', "保存结论")
    _wait_idle(driver)
    assert "{" not in _wait_for(driver, '[data-testid="stExpanderDetails"]', "").text
    full_page_screenshot(driver, ARTIFACTS / "review.png")
    assert (ARTIFACTS / "review.png").stat().st_size > 30_000


def test_no_streamlit_english_on_the_upload_page_and_the_filters(server: str, driver):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/upload")
    _wait_for(driver, "h1", "上传报告")
    _wait_idle(driver)
    text = _visible_text(driver)
    assert not [w for w in STREAMLIT_ENGLISH if w in text], text
    button = driver.find_element(By.CSS_SELECTOR, '[data-testid="stFileUploaderDropzone"] button > div')
    assert driver.execute_script("return getComputedStyle(arguments[0], '::after').content", button) == '"选择文件"'

    driver.get(server)
    _wait_for(driver, "h1", "总览")
    _wait_idle(driver)
    _expand_sidebar(driver)
    driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebar"] [data-testid="stMultiSelect"]')[1].click()
    time.sleep(1.5)
    options = [o.text for o in driver.find_elements(By.CSS_SELECTOR, '[role="option"]')]
    assert len(options) >= 2 and not any("Select" in o for o in options), options
