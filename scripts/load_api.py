#!/usr/bin/env python
"""Load run of the HTTP API: C concurrent clients uploading and reading for S seconds; prints
the requests, the errors and the latency percentiles of each kind of call.

Starts its own `xxgk serve` on a free port of 127.0.0.1 with a fresh store (or uses --url
with --token-file). Each client loops: upload a report (a unique copy, so it is checked, one
time in --new; else an already stored one, answered from the store), then read the list of
reports, one report's result and its claims. A script, not a test: the machines are shared.

Usage: .venv/bin/python scripts/load_api.py [--clients 50] [--seconds 60] [--jobs 2] [--new 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _start(tmp: Path, jobs: int) -> tuple[subprocess.Popen, str, str]:
    log = tmp / "serve.log"
    token_file = tmp / "token"
    out = open(log, "w")
    proc = subprocess.Popen([sys.executable, "-m", "nlp", "serve", "--port", "0", "--db", str(tmp / "load.sqlite"),
                             "--token-file", str(token_file), "--jobs", str(jobs)],
                            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while True:
        m = re.search(r"(http://127\.0\.0\.1:\d+)", log.read_text())
        if m:
            try:
                if httpx.get(m.group(1) + "/health", timeout=2).status_code == 200:
                    return proc, m.group(1), token_file.read_text().strip()
            except httpx.TransportError:
                pass
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the server did not start:\n{log.read_text()}")
        time.sleep(0.2)


async def _client(http: httpx.AsyncClient, pool: list[tuple[str, bytes]], fresh: list[tuple[str, bytes]],
                  new_every: int, until: float, lat: dict, errors: dict, shas: list) -> None:
    rnd = random.Random(os.getpid() ^ id(lat) ^ len(shas))
    n = 0

    async def call(kind: str, method: str, url: str, **kw) -> httpx.Response | None:
        t0 = time.perf_counter()
        try:
            r = await http.request(method, url, **kw)
        except httpx.HTTPError as e:
            errors[f"{kind}: {type(e).__name__}"] += 1
            return None
        lat[kind].append(time.perf_counter() - t0)
        if r.status_code >= 400:
            errors[f"{kind}: {r.status_code}"] += 1
        return r

    while time.monotonic() < until:
        n += 1
        name, data = fresh.pop() if (fresh and n % new_every == 0) else rnd.choice(pool)
        r = await call("upload", "POST", "/reports", files={"file": (name, data)})
        if r is not None and r.status_code < 300:
            shas.append(r.json()["sha256"])
        await call("list", "GET", "/reports", params={"limit": 50})
        if shas:
            sha = rnd.choice(shas)
            await call("result", "GET", f"/reports/{sha}")
            await call("claims", "GET", "/claims", params={"sha256": sha, "limit": 200})


async def _load(url: str, token: str, clients: int, seconds: float, new_every: int, tmp: Path) -> None:
    from nlp.batch.copies import unique_copies

    originals = sorted(p for d in (ROOT / "samples", ROOT / "data" / "corpus") for p in d.iterdir() if p.is_file())
    pool = [(p.name, p.read_bytes()) for p in originals]
    fresh = [(p.name, p.read_bytes()) for p in unique_copies(originals, tmp / "fresh", clients * 40)]
    lat: dict = defaultdict(list)
    errors: dict = defaultdict(int)
    shas: list = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=300,
                                 limits=limits) as http:
        # warm: the stored pool first, so most uploads are answered from the store
        for name, data in pool:
            await http.post("/reports", files={"file": (name, data)})
        t0 = time.monotonic()
        await asyncio.gather(*(_client(http, pool, fresh, new_every, t0 + seconds, lat, errors, shas)
                               for _ in range(clients)))
        wall = time.monotonic() - t0
    total = sum(len(v) for v in lat.values())
    print(f"{clients} clients for {wall:.0f} s: {total} requests ({total / wall:.1f}/s), "
          f"{sum(errors.values())} errors {dict(errors) if errors else ''}")
    print(f"{'call':8} {'n':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, xs in lat.items():
        q = statistics.quantiles(xs, n=100) if len(xs) > 1 else xs * 99
        print(f"{kind:8} {len(xs):>6} {q[49] * 1000:>8.0f} {q[89] * 1000:>8.0f} {q[98] * 1000:>8.0f} {max(xs) * 1000:>8.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--jobs", type=int, default=2, help="the server's worker processes")
    ap.add_argument("--new", type=int, default=5, help="one upload in N is a new report (checked); the rest are stored ones")
    ap.add_argument("--url", help="an already running server (with --token-file)")
    ap.add_argument("--token-file", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-load-") as tmp:
        proc = None
        if args.url:
            url, token = args.url, args.token_file.read_text().strip()
        else:
            proc, url, token = _start(Path(tmp), args.jobs)
        try:
            asyncio.run(_load(url, token, args.clients, args.seconds, args.new, Path(tmp)))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=60)


if __name__ == "__main__":
    main()
