"""What an annotator sees in the real Label Studio (issue 13 items 8 and 14), in headless
Chromium: the task list's tab name whole, the claim's sentence first among the data columns,
statuses in Chinese, and in the labelling view the table figure the claim was compared with.
Screenshots: artifacts/labelstudio_tasks.png and artifacts/labelling_view.png."""

from __future__ import annotations

import base64
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from conftest import seed_path
from nlp.pipeline import check
from nlp.review import items, queue, server
from nlp.review.queue import REVIEW_VIEW
from nlp.store import Store

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PROJECT = "xxgk labelling view"


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="xxgk-ls-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1600,1000",
                 "--lang=zh-CN", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _shot(driver, path: Path) -> None:
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def _wait_text(driver, text: str, timeout: float = 60) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        body = driver.execute_script("return document.body.innerText")
        if text in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared")


def test_the_task_list_and_the_labelling_view(ls_server, ls_client, browser, tmp_path):
    from selenium.webdriver.common.by import By

    cfg, info = ls_server
    store = Store(tmp_path / "seed.sqlite")
    store.save(check(seed_path("002")))
    pushed = items.items_from_store(tmp_path / "seed.sqlite")
    claim = next(i for i in pushed if "行政诉讼" in i.text)
    assert claim.table_value == 12
    queue.push(pushed, ls_client, project_title=PROJECT)
    project = queue.find_project(ls_client, PROJECT)
    creds = server.load_credentials(cfg)

    browser.get(f"{info.url}/user/login/")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.NAME, "email"))
    browser.find_element(By.NAME, "email").send_keys(creds.email)
    browser.find_element(By.NAME, "password").send_keys(creds.password)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
    time.sleep(2)

    browser.get(f"{info.url}/projects/{project.id}/data")
    _wait_text(browser, "申请行政诉讼8件")
    time.sleep(2)
    title = REVIEW_VIEW["title"]
    cut = browser.execute_script(
        "return [...document.querySelectorAll('*')].filter(e => e.children.length === 0 && e.innerText"
        " && e.innerText.trim() === arguments[0]).map(e => e.scrollWidth > e.clientWidth + 1);", title)
    assert cut and not any(cut), "the tab's name is cut"  # item 14
    headers = [h.text.split("\n")[0] for h in browser.find_elements(By.CSS_SELECTOR, ".lsf-th-content")]
    data = [h for h in headers if h in items.TASK_COLUMNS or h in ("item_id", "source", "report_sha256", "model_version")]
    assert data[: len(items.TASK_COLUMNS)] == list(items.TASK_COLUMNS), headers  # the sentence first
    assert "Annotation results" not in headers and "Prediction results" not in headers
    body = browser.execute_script("return document.body.innerText")
    assert "需复核" in body and "ambiguous" not in body  # item 8
    _shot(browser, ARTIFACTS / "labelstudio_tasks.png")

    task = next(t for t in ls_client.tasks.list(project=project.id) if t.data.get("claim_id") == claim.claim_id)
    browser.get(f"{info.url}/projects/{project.id}/data?task={task.id}")
    body = _wait_text(browser, "表格数值: 12")
    assert "状态 需复核" in body and "状态 ambiguous" not in body  # item 8
    assert "依据: " in body and "复议后起诉" in body  # item 14: the figure it was compared with, and why
    time.sleep(1)
    _shot(browser, ARTIFACTS / "labelling_view.png")
    assert (ARTIFACTS / "labelling_view.png").stat().st_size > 30_000
