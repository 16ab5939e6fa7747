"""What a batch reads (nlp/batch/inputs.py) and how it skips: folders, globs, manifests, URLs
served by a real local HTTP server, unsupported files in a folder, duplicates, and reports
already stored by the same pipeline version."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from conftest import SAMPLES, seed_path, xxgk
from nlp.batch import expand
from nlp.config import Settings
from nlp.errors import XxgkError
from nlp.pipeline import Checker, check_batch
from nlp.store import Store


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker("rules", Settings())


@pytest.fixture
def folder(tmp_path) -> Path:
    f = tmp_path / "in"
    (f / "sub").mkdir(parents=True)
    (f / ".hidden").mkdir()
    for prefix, where in (("000", f), ("002", f / "sub")):
        (where / seed_path(prefix).name).write_bytes(seed_path(prefix).read_bytes())
    (f / "budget.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    (f / "sub" / "blob.bin").write_bytes(b"\x00\x01")
    (f / ".hidden" / "x.txt").write_text("hidden")
    return f


@pytest.fixture(scope="module")
def http_root(tmp_path_factory):
    """A real HTTP server on 127.0.0.1 serving a folder (no network beyond this machine)."""
    root = tmp_path_factory.mktemp("www")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_folder_is_its_files_sorted_recursively_with_unsupported_ones_skipped(folder):
    inputs = list(expand([folder]))
    names = [Path(i.source).relative_to(folder).as_posix() for i in inputs]
    assert names == ["000_783649b23b5da190.txt", "budget.xlsx", "sub/002_d63969c0f6426144.txt", "sub/blob.bin"]
    skipped = {Path(i.source).name: i.skip for i in inputs if i.skip}
    assert set(skipped) == {"budget.xlsx", "blob.bin"}
    assert "'.xlsx'" in skipped["budget.xlsx"]


def test_globs_and_manifests(folder, tmp_path):
    assert [Path(i.source).name for i in expand([str(folder / "**" / "*.txt")])] == [
        "000_783649b23b5da190.txt", "002_d63969c0f6426144.txt"]
    nothing = list(expand([str(folder / "*.pdf")]))
    assert len(nothing) == 1 and not nothing[0].skip  # checked in its place: E001
    manifest = tmp_path / "list.txt"
    manifest.write_text(f"# reports\n\n{folder / 'sub'}\n{seed_path('001')}\nhttps://example.org/r.pdf\n", "utf-8")
    got = [i.source for i in expand([], [manifest])]
    assert [Path(s).name for s in got[:2]] == ["002_d63969c0f6426144.txt", "blob.bin"]
    assert got[2:] == [str(seed_path("001")), "https://example.org/r.pdf"]
    with pytest.raises(XxgkError, match="E051"):
        list(expand([], [tmp_path / "missing.txt"]))


def test_unsupported_files_in_a_folder_are_notes_not_failures(folder, tmp_path):
    proc = xxgk("check", str(folder), "--model", "rules", "--db", str(tmp_path / "s.sqlite"))
    assert proc.returncode == 0, proc.stderr
    notes = [ln for ln in proc.stderr.splitlines() if ln.startswith("note")]
    assert len(notes) == 2 and any("budget.xlsx" in n for n in notes) and any("blob.bin" in n for n in notes)
    assert "checked 2 report(s), 2 skipped, 0 failed" in proc.stderr
    named = xxgk("check", str(folder / "budget.xlsx"), "--no-store")  # named on its own: an error
    assert named.returncode == 1 and "E002" in named.stderr


def test_urls_are_fetched_and_a_failure_is_one_error_in_its_place(http_root, checker):
    root, base = http_root
    (root / "report.txt").write_bytes(seed_path("002").read_bytes())
    (root / "page").write_bytes((SAMPLES.parent / "data" / "corpus" / "006_pingtan_2024.html").read_bytes())
    urls = [f"{base}/report.txt", f"{base}/missing.pdf", f"{base}/page", "http://127.0.0.1:9/refused.txt"]
    outcomes = list(check_batch(urls, checker, Store(":memory:")))
    assert [o.path for o in outcomes] == urls
    assert outcomes[0].result is not None
    assert outcomes[0].result.document.source == urls[0]
    assert outcomes[0].result.document.sha256 == checker.check(seed_path("002")).document.sha256
    assert outcomes[1].error.startswith(f"E050 {urls[1]}: cannot fetch (HTTP 404")
    assert outcomes[2].result is not None and outcomes[2].result.document.format == "html"  # no suffix: sniffed
    assert outcomes[3].error.startswith(f"E050 {urls[3]}")


def test_stored_reports_are_skipped_until_the_pipeline_changes(folder, checker):
    store = Store(":memory:")
    first = list(check_batch([folder], checker, store))
    assert [bool(o.result) for o in first] == [True, False, True, False]
    again = list(check_batch([folder], checker, store))
    assert not any(o.result for o in again)
    stored = [o for o in again if o.stored]
    assert len(stored) == 2 and all(o.skipped.startswith("already checked") for o in stored)
    assert [o.stored for o in stored] == [o.result.to_json() for o in first if o.result]
    forced = list(check_batch([folder], checker, store, force=True))
    assert sum(bool(o.result) for o in forced) == 2
    stricter = Checker("rules", Settings(review_threshold=0.9))
    assert stricter.pipeline_version != checker.pipeline_version
    assert sum(bool(o.result) for o in check_batch([folder], stricter, store)) == 2


def test_the_same_content_twice_in_a_batch_is_checked_once(tmp_path, checker):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(seed_path("003").read_bytes())
    b.write_bytes(seed_path("003").read_bytes())
    outcomes = list(check_batch([a, b], checker, None))
    assert outcomes[0].result is not None
    assert outcomes[1].result is None and "same content" in outcomes[1].skipped
