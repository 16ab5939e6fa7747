#!/usr/bin/env python
"""Time the annotation queue against a real Label Studio server.

    .venv/bin/python scripts/bench_queue.py [--items 1000] [--runs 3] [--url URL]

Each run pushes N items (hand-made check results) to a new project, pushes them again (the
idempotent no-op), makes N annotations through the API (bulk, not timed), then pulls them
into an empty folder and pulls again (nothing new). Prints the median of the runs.

Without --url it starts a server of its own on a free port in a temporary data folder (with
the project's code, from the test template in .ls-venv/ when there is one) and stops it at the
end; with --url it uses that server and the token of LABEL_STUDIO_API_KEY or .labelstudio/.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp import review as queue  # noqa: E402
from nlp.review import server as lsserver  # noqa: E402


def make_items(n: int, tag: str) -> list[queue.QueueItem]:
    sha = uuid.uuid5(uuid.NAMESPACE_URL, tag).hex * 2
    claims = [
        {
            "id": f"C-{i}", "text": f"受理申请{i}件", "sentence": f"2024年共受理政府信息公开申请{i}件，均已办结。",
            "section": "requests", "number_text": str(i), "value": i, "metric": "requests.new",
            "confidence": 0.5, "review_score": (i % 100) / 100, "needs_review": True, "status": "unchecked",
            "start": 10 * i, "end": 10 * i + 8, "num_start": 10 * i + 4, "num_end": 10 * i + 4 + len(str(i)),
        }  # fmt: skip
        for i in range(n)
    ]
    result = {"sha256": sha, "source": f"bench/{tag}.html", "model_version": "bench", "report": {"title": tag}, "claims": claims}
    return queue.items_from_result(result)


def one_run(client, n: int, out_root: Path) -> dict[str, float]:
    title = f"bench {uuid.uuid4().hex[:8]}"
    items = make_items(n, title)
    t = time.perf_counter()
    rep = queue.push(items, client, project_title=title)
    push_s = time.perf_counter() - t
    assert rep.created == n, rep
    t = time.perf_counter()
    rep = queue.push(items, client, project_title=title)
    repush_s = time.perf_counter() - t
    assert rep.created == 0 and rep.unchanged == n, rep

    project = queue.find_project(client, title)
    task_ids = [t.id for t in client.tasks.list(project=project.id, fields="task_only", page_size=1000)]
    result = [
        {"from_name": "metric", "to_name": "sentence", "type": "choices", "value": {"choices": ["requests.received_all"]}},
        {"from_name": "comment", "to_name": "sentence", "type": "textarea", "value": {"text": ["bench"]}},
    ]
    with ThreadPoolExecutor(4) as pool:  # the bulk endpoint is not in the Community edition
        list(pool.map(lambda tid: client.annotations.create(id=tid, result=result), task_ids))

    out = out_root / title.replace(" ", "_")
    t = time.perf_counter()
    rep = queue.pull(client, out, project_title=title)
    pull_s = time.perf_counter() - t
    assert rep.added == n, rep
    t = time.perf_counter()
    rep = queue.pull(client, out, project_title=title)
    repull_s = time.perf_counter() - t
    assert rep.added == 0, rep
    client.projects.delete(id=project.id)
    return {"push": push_s, "push again": repush_s, "pull": pull_s, "pull again": repull_s}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--url", default=None)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    cfg = None
    try:
        if a.url:
            client = lsserver.connect(lsserver.ServerConfig.from_env(), url=a.url)
        else:
            cfg = lsserver.ServerConfig.from_env(data_dir=tmp / "ls", port=lsserver.free_port())
            template = cfg.venv / "test-template"
            if (template / "label_studio.sqlite3").exists():
                cfg.data_dir.mkdir(parents=True)
                for f in template.iterdir():
                    shutil.copy2(f, cfg.data_dir / f.name)
            info = lsserver.start(cfg, progress=lambda m: print(m, file=sys.stderr))
            client = lsserver.connect(cfg, url=info.url)
        runs = []
        for r in range(a.runs):
            runs.append(one_run(client, a.items, tmp))
            print(f"run {r + 1}: " + ", ".join(f"{k} {v:.2f}s" for k, v in runs[-1].items()), file=sys.stderr)
        print(f"Label Studio {lsserver.LS_VERSION}, {a.items} items, median of {a.runs} run(s):")
        for key in runs[0]:
            vals = [r[key] for r in runs]
            print(f"  {key:<11} {statistics.median(vals):7.2f} s   (runs: {', '.join(f'{v:.2f}' for v in vals)})")
    finally:
        if cfg is not None:
            lsserver.stop(cfg)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
