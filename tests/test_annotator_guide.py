"""The README's section for annotators, followed as written: check reports, fill the queue
with `xxgk queue push`, log in to the project's own Label Studio in a real (headless) browser
with the login the README points to, and find the queue and its tasks.

Needs the real server (the session fixture starts it with the project's code) and Debian's
Chromium + ChromeDriver; leaves a screenshot in artifacts/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SAMPLES

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _readme_section(name: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"<!-- section:{name} -->")[1].split(f"<!-- /section:{name} -->")[0]


@pytest.fixture()
def browser(tmp_path):
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("needs Debian's chromium and chromium-driver (scripts/test.sh installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chrome'}", "--window-size=1400,1000"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def _wait(predicate, timeout=90.0, step=0.5):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def test_the_readme_gets_an_annotator_to_the_queue(ls_server, browser, tmp_path):
    cfg, info = ls_server
    guide = " ".join(_readme_section("annotators").split())
    # The guide names the commands, the project and where the login is; follow them.
    for words in ("xxgk ls start", "xxgk queue push --db xxgk.sqlite", "xxgk claims review", "credentials.json", "Submit"):
        assert words in guide, words

    env = {**os.environ, "XXGK_LS_PORT": str(info.port), "XXGK_LS_DATA_DIR": str(cfg.data_dir)}
    db = tmp_path / "xxgk.sqlite"
    run = lambda *a: subprocess.run([sys.executable, "-m", "nlp", *a], cwd=ROOT, env=env,  # noqa: E731
                                    capture_output=True, text=True, timeout=900)
    checked = run("check", str(SAMPLES), "--db", str(db), "--format", "json")
    assert checked.returncode == 0, checked.stderr
    pushed = run("queue", "push", "--db", str(db), "--project", "xxgk claims review")
    assert pushed.returncode == 0, pushed.stderr
    creds = json.loads((cfg.data_dir / "credentials.json").read_text())
    for secret in (creds["password"], creds["token"]):
        assert secret not in pushed.stdout + pushed.stderr + checked.stderr

    from selenium.webdriver.common.by import By

    browser.get(f"{info.url}/user/login/")
    _wait(lambda: browser.find_elements(By.NAME, "email"))
    browser.find_element(By.NAME, "email").send_keys(creds["email"])
    browser.find_element(By.NAME, "password").send_keys(creds["password"])
    browser.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
    _wait(lambda: "/user/login" not in browser.current_url)

    browser.get(f"{info.url}/projects/")
    card = _wait(lambda: [e for e in browser.find_elements(By.XPATH, "//*[contains(text(), 'xxgk claims review')]") if e.is_displayed()])
    assert card, "the project named in the README is on the projects page"
    card[0].click()
    _wait(lambda: "/data" in browser.current_url or "/projects/" in browser.current_url)
    rows = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "[class*='dm-table__row'], .dm-table__row, [class*='row-wrapper']"), timeout=120)
    (ROOT / "artifacts").mkdir(exist_ok=True)
    browser.save_screenshot(str(ROOT / "artifacts" / "label_studio_queue.png"))
    body = browser.find_element(By.TAG_NAME, "body").text
    assert rows or "Tasks" in body, "the Data Manager lists the queued tasks"
