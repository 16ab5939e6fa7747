"""The HTTP API (nlp/service/) as a client meets it: a real ``xxgk serve`` subprocess on
127.0.0.1, real uploads of every format, the token file, problem+json errors, a decision the
reviewer app's store queries see, a correction of a misread figure, the committed OpenAPI document, and a property-based run
over that document that must find no 5xx."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import CORPUS, ROOT, seed_path

PRINTSHOP = ROOT / "tests" / "fixtures" / "printshop" / "006_pingtan_2024"
MAX_BYTES = 3_000_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``xxgk serve`` on a free port: yields (base URL, token, store path, log path)."""
    tmp = tmp_path_factory.mktemp("serve")
    db, token_file, log = tmp / "api.sqlite", tmp / "secret" / "token", tmp / "serve.log"
    env = {**os.environ, "XXGK_MAX_BYTES": str(MAX_BYTES), "XXGK_SERVE_TIMEOUT": "60",
           "XXGK_ANNOTATIONS_DIR": str(tmp / "annotations")}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "nlp", "serve", "--port", "0", "--db", str(db), "--model", "rules",
             "--token-file", str(token_file), "--jobs", "2"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        url = None
        while url is None:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            m = re.search(r"http://127\.0\.0\.1:(\d+)", log.read_text())
            url = f"http://127.0.0.1:{m.group(1)}" if m else None
            time.sleep(0.1)
        while True:
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield url, token_file.read_text().strip(), db, log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def client(server):
    url, token, _, _ = server
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
        yield c


def _upload(client: httpx.Client, path: Path, name: str = "") -> httpx.Response:
    return client.post("/reports", files={"file": (name or path.name, path.read_bytes())})


def test_every_call_but_health_needs_the_token(server):
    url, token, _, _ = server
    assert httpx.get(url + "/health").json()["status"] == "ok"
    for method, path in (("GET", "/reports"), ("GET", "/claims"), ("GET", "/findings"), ("POST", "/decisions"),
                         ("POST", "/reports/ab12/claims/C-1/corrections"), ("GET", "/reports/ab12/corrections"),
                         ("POST", "/reports"), ("GET", "/export/claims.csv"), ("GET", "/openapi.json"),
                         ("GET", "/docs"), ("GET", "/no/such/path")):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token}):
            r = httpx.request(method, url + path, headers=headers)
            assert r.status_code == 401, (method, path, headers.keys(), r.status_code)
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] == "E060" and r.headers["www-authenticate"] == "Bearer"


def test_the_token_file_is_private_and_the_token_never_printed(server):
    _, token, _, log = server
    token_file = log.parent / "secret" / "token"
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert len(token) >= 32 and token not in log.read_text()


@pytest.mark.parametrize("path", [seed_path("002"), CORPUS / "006_pingtan_2024.html",
                                  PRINTSHOP / "report.pdf", PRINTSHOP / "report.docx"],
                         ids=["txt", "html", "pdf", "docx"])
def test_upload_each_format_then_the_same_file_again_is_the_same_report(client, path):
    first = _upload(client, path)
    assert first.status_code in (200, 201), first.text
    result = first.json()
    assert result["report"]["format"] == path.suffix.lstrip(".")
    assert result["source"] == path.name and result["tables"]["requests"] is not None
    sha = result["sha256"]
    again = _upload(client, path, name="renamed" + path.suffix)
    assert again.status_code == 200 and again.json()["sha256"] == sha
    assert again.headers["location"] == f"/reports/{sha}"
    listed = [r for r in client.get("/reports", params={"limit": 1000}).json() if r["sha256"] == sha]
    assert len(listed) == 1
    assert client.get(f"/reports/{sha[:12]}").json()["sha256"] == sha
    claims = client.get("/claims", params={"sha256": sha, "limit": 1000}).json()
    assert len(claims) == len(result["claims"])


def test_bad_files_are_problems_with_their_code_and_the_service_keeps_serving(client, tmp_path):
    cases = {"empty.txt": (b"", 422, "E003"), "sheet.xlsx": (b"PK\x03\x04 not a report", 422, "E002"),
             "noise.txt": (os.urandom(4000), 422, "E004"),
             "big.txt": (b"x" * (MAX_BYTES + 10), 413, "E007")}
    for name, (data, status, code) in cases.items():
        r = client.post("/reports", files={"file": (name, data)})
        assert r.status_code == status, (name, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["code"] == code and body["status"] == status and body["detail"].startswith(code)
        assert name in body["detail"] or code == "E007"
    assert client.get("/reports/ffffffffffff").json()["code"] == "E061"
    assert client.get("/claims", params={"limit": 0}).json()["code"] == "E062"
    assert _upload(client, seed_path("000")).status_code in (200, 201)  # still serving


def test_a_decision_through_the_api_is_seen_by_the_apps_store_queries(client, server, monkeypatch):
    url, _, db, _ = server
    sha = _upload(client, seed_path("001")).json()["sha256"]
    claim = client.get("/claims", params={"sha256": sha, "to_review": True}).json()[0]
    r = client.post("/decisions", json={"item_id": claim["id"], "item_kind": "claim", "decision": "false_alarm",
                                        "comment": "表中另有说明", "reviewer": "接口"})
    assert r.status_code == 201, r.text
    assert r.json()["report_sha256"] == sha
    missing = client.post("/decisions", json={"item_id": "C-0000", "item_kind": "claim", "decision": "false_alarm"})
    assert missing.status_code == 404 and missing.json()["code"] == "E061"

    monkeypatch.setenv("XXGK_DB", str(db))
    from app import common

    common.clear_cache()
    seen = {c["id"]: c for c in common.query("claims", sha)}
    assert seen[claim["id"]]["decision"] == "false_alarm" and seen[claim["id"]]["reviewer"] == "接口"
    api_row = next(c for c in client.get("/claims", params={"sha256": sha, "limit": 1000}).json() if c["id"] == claim["id"])
    assert api_row["decision"] == "false_alarm"


def test_a_correction_through_the_api_reconciles_the_report_again(client, server, monkeypatch):
    url, _, db, log = server
    sha = _upload(client, seed_path("002")).json()["sha256"]
    claims = client.get("/claims", params={"sha256": sha, "status": "match", "limit": 1000}).json()
    claim = claims[0]
    r = client.post(f"/reports/{sha[:12]}/claims/{claim['id']}/corrections",
                    json={"value": claim["value"] + 1, "reason": "原文数字另有所指", "reviewer": "接口"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["correction"]["kind"] == "claim" and body["correction"]["original_value"] == claim["value"]
    assert body["result"]["sha256"] == sha and body["result"]["corrections"][0]["value"] == claim["value"] + 1
    now = next(c for c in body["result"]["claims"] if c["id"] == claim["id"])
    assert now["value"] == claim["value"] + 1 and now["status"] == "mismatch"
    assert client.get(f"/reports/{sha}").json()["corrections"] == body["result"]["corrections"]
    records = (log.parent / "annotations" / "corrections.jsonl").read_text("utf-8").splitlines()
    assert len(records) == 1 and json.loads(records[0])["value"] == claim["value"] + 1

    monkeypatch.setenv("XXGK_DB", str(db))  # the reviewer app's queries see it
    from app import common

    common.clear_cache()
    seen = {c["id"]: c for c in common.query("claims", sha)}
    assert seen[claim["id"]]["corrected_by"] == "接口" and seen[claim["id"]]["status"] == "mismatch"

    cell = body["result"]["cells"][0]
    wrong = client.post(f"/reports/{sha}/cells/{cell['table']}/no_such_row/{cell['col']}/corrections",
                        json={"value": 1, "reason": "x", "reviewer": "接口"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "E034"
    unsaid = client.post(f"/reports/{sha}/cells/{cell['table']}/{cell['row']}/{cell['col']}/corrections",
                         json={"value": 1, "reviewer": "接口"})
    assert unsaid.status_code == 422 and unsaid.json()["code"] == "E034"
    assert client.post(f"/reports/{'f' * 12}/claims/{claim['id']}/corrections",
                       json={"value": 1, "reason": "x", "reviewer": "接口"}).json()["code"] == "E061"

    back = client.post(f"/reports/{sha}/claims/{claim['id']}/corrections",
                       json={"withdraw": True, "reviewer": "接口"})
    assert back.status_code == 201 and back.json()["result"]["corrections"] == []
    assert next(c for c in back.json()["result"]["claims"] if c["id"] == claim["id"])["status"] == "match"
    history = client.get(f"/reports/{sha}/corrections", params={"history": True}).json()
    assert [c["withdrawn"] for c in history] == [False, True] and client.get(f"/reports/{sha}/corrections").json() == []


def test_coverage_of_a_regions_units_over_the_stored_reports(client):
    sha = _upload(client, seed_path("002")).json()["sha256"]  # 太原市万柏林区人民政府, 2024
    cov = client.get("/units/coverage", params={"year": 2024, "region": "万柏林区"}).json()
    assert cov["year"] == 2024 and "万柏林" in cov["region"]
    assert any(sha in row["reports"] for row in cov["reported"])
    bad = client.get("/units/coverage", params={"year": 2024, "region": "不存在的地方"})
    assert bad.status_code == 422 and bad.json()["code"] == "E062"


def test_exports(client):
    _upload(client, seed_path("003"))
    csv = client.get("/export/claims.csv")
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    pq = client.get("/export/claims.parquet")
    assert pq.status_code == 200 and pq.content[:4] == b"PAR1"
    assert client.get("/export/xxgk.xlsx").content[:2] == b"PK"
    assert client.get("/export/corrections.csv").content.startswith(b"\xef\xbb\xbf")
    assert client.get("/export/corrections.parquet").content[:4] == b"PAR1"
    assert client.get("/export/secrets.txt").json()["code"] == "E062"


def test_the_committed_openapi_document_is_the_served_one(client):
    served = client.get("/openapi.json").json()
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text("utf-8"))
    assert served == committed, "run scripts/openapi.py --update and commit docs/openapi.json"


@pytest.mark.slow
def test_generated_requests_over_the_openapi_document_find_no_server_error(server):
    """schemathesis draws requests (valid and not) for every operation of the committed
    document; none may get a 5xx. A few examples each, to keep the suite short."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable

    url, token, _, _ = server
    schema = schemathesis.openapi.from_dict(json.loads((ROOT / "docs" / "openapi.json").read_text("utf-8")))
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 9
    headers = {"Authorization": f"Bearer {token}"}
    for op in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def run(case):
                response = case.call(base_url=url, headers=headers, timeout=120)
                assert response.status_code < 500, (op.method, op.path, response.status_code, response.text[:300])

            try:
                run()
            except Unsatisfiable:  # nothing to get wrong (GET /health has no input)
                assert mode is schemathesis.GenerationMode.NEGATIVE
