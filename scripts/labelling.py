"""The hand-labelled set of number mentions (docs/labelling.md): prepare, import, agree.

    python scripts/labelling.py pages                 # data/pages/*.txt + index.jsonl from ../shared/corpus-pages
    python scripts/labelling.py prepare OUT_DIR       # every number mention of the narrative, a file a report
    python scripts/labelling.py import LABELS... --prepared OUT_DIR --out annotations/hand-x.jsonl
    python scripts/labelling.py agreement A.jsonl B.jsonl   # Cohen's kappa on the doubly labelled mentions

A *mention* is a maximal number expression of a report's narrative as a reader sees it: a run of
Arabic or Chinese digits with its 万/亿 multiplier and % sign, or a whole date (2021年1月1日) or
document number (〔2021〕30号). Mentions are found by the plain patterns below, deliberately
independent of the project's number finder (nlp.numbers) and classifier: the labels are made by
people reading the sentence, and the set must also hold the mentions the finder misses. The
narrative is what the claims stage reads (nlp.claims.narrative_chunks): tables are left out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_PAGES = ROOT.parent / "shared" / "corpus-pages" / "reports.jsonl"
PAGES = ROOT / "data" / "pages"
GOLD = ROOT / "data" / "gold"

_CN = "零〇一二两三四五六七八九十百千万亿"
_MEASURE = "件条个次场项篇家人名份期批类封起张本所户元宗部套台辆处位种余多万亿"
MENTION = re.compile(
    r"(?P<docno>[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d+\s*号)"
    r"|(?P<date>\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}"
    r"|\d{2,4}\s*年\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"|(?P<arabic>\d+(?:[.,，]\d{3})*(?:\.\d+)?(?:\s?[万亿]+)?\s?[%‰]?)"
    rf"|(?P<chinese>(?<!第)(?<![(（])[{_CN}]+(?=[{_MEASURE}]))"
)
_SENT_END = "。！？!?\n"


def cmd_pages(args: argparse.Namespace) -> int:
    """Write each opening of the shared corpus-pages as data/pages/<id>.txt, and its metadata
    (without the text) as data/pages/index.jsonl."""
    PAGES.mkdir(parents=True, exist_ok=True)
    index = []
    for line in Path(args.source).read_text("utf-8").splitlines():
        r = json.loads(line)
        (PAGES / f"{r['id']}.txt").write_text(r["text"], "utf-8")
        index.append(json.dumps({k: v for k, v in r.items() if k != "text"}, ensure_ascii=False))
    (PAGES / "index.jsonl").write_text("\n".join(index) + "\n", "utf-8")
    print(f"wrote {len(index)} openings to {PAGES.relative_to(ROOT)}")
    return 0


def _sentence(text: str, a: int, b: int) -> tuple[int, int]:
    s = a
    while s > 0 and text[s - 1] not in _SENT_END:
        s -= 1
    e = b
    while e < len(text) and text[e] not in _SENT_END:
        e += 1
    if e < len(text) and text[e] != "\n":
        e += 1
    return s, e


def mentions(path: Path) -> tuple[str, str, list[dict]]:
    """The report's sha256, its Document.text, and every number mention of its narrative."""
    from nlp.claims import narrative_chunks
    from nlp.ingest import ingest
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    doc = ingest(path)
    sections = find_sections(doc)
    tables = parse_tables(doc, sections)
    text = doc.text
    out = []
    for a, b, key in narrative_chunks(doc, sections, tables):
        for m in MENTION.finditer(text, a, b):
            ms, me = m.start(), m.end()
            while me > ms and text[me - 1].isspace():
                me -= 1
            ss, se = _sentence(text, ms, me)
            out.append({
                "num_start": ms, "num_end": me, "number_text": text[ms:me], "pattern": m.lastgroup,
                "section": key, "sent_start": ss, "sent_end": se,
            })
    return doc.sha256, text, out


def sources() -> list[Path]:
    """The reports to label: the openings, the bundled samples, and the corpus reports that
    have no gold file (data/gold stays evaluation-only)."""
    gold_stems = {p.stem for p in GOLD.glob("*.json")}
    paths = sorted(PAGES.glob("p*.txt"))
    paths += sorted((ROOT / "samples").glob("*.txt"))
    paths += sorted(p for p in (ROOT / "data" / "corpus").iterdir() if p.is_file() and p.stem not in gold_stems)
    return paths


def cmd_prepare(args: argparse.Namespace) -> int:
    """Every mention of every report to label, as one JSON file a report under OUT/reports/,
    and a readable view of each (each sentence with a mention, mentions marked ⟦nnn:…⟧) under
    OUT/views/."""
    out = Path(args.out)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    (out / "views").mkdir(parents=True, exist_ok=True)
    total = 0
    counts: Counter = Counter()
    for path in sources():
        try:
            sha, text, ms = mentions(path)
        except Exception as e:  # noqa: BLE001  (a page the reader refuses is reported, not fatal)
            print(f"skip {path}: {e}", file=sys.stderr)
            continue
        rel = path.relative_to(ROOT).as_posix()
        rid = path.stem
        for i, m in enumerate(ms):
            m["mid"] = f"{rid}#{i:03d}"
            m["sentence"] = text[m["sent_start"]:m["sent_end"]].strip()
            counts[m["pattern"]] += 1
        total += len(ms)
        rec = {"report": rid, "source": rel, "report_sha256": sha, "mentions": ms, "text": text}
        (out / "reports" / f"{rid}.json").write_text(json.dumps(rec, ensure_ascii=False, indent=1), "utf-8")
        lines = [f"# {rid}  ({rel})", ""]
        by_sent: dict[tuple[int, int], list[dict]] = defaultdict(list)
        for m in ms:
            by_sent[(m["sent_start"], m["sent_end"])].append(m)
        for (ss, se), group in sorted(by_sent.items()):
            s = text[ss:se]
            for m in sorted(group, key=lambda m: -m["num_start"]):
                a, b = m["num_start"] - ss, m["num_end"] - ss
                s = s[:a] + f"⟦{m['mid'].split('#')[1]}:" + s[a:b] + "⟧" + s[b:]
            lines += [s.strip(), ""]
        (out / "views" / f"{rid}.md").write_text("\n".join(lines), "utf-8")
    print(f"{total} mentions; by pattern: {dict(counts)}")
    return 0


def _added_mention(rep: dict, near: dict, lab: dict, where: str) -> dict | None:
    """A mention the patterns missed (a zero in words, a Chinese numeral): the labeller's
    ``quote``, found in the report's text nearest to the mention it was added ``near``."""
    text, quote = rep["text"], str(lab.get("quote") or "")
    hits = [m.start() for m in re.finditer(re.escape(quote), text)] if quote else []
    if not hits:
        print(f"{where}: quote {quote!r} not in {rep['report']}", file=sys.stderr)
        return None
    a = min(hits, key=lambda h: abs(h - near["num_start"]))
    b = a + len(quote)
    ss, se = _sentence(text, a, b)
    return {"mid": f"{rep['report']}#+{a}", "num_start": a, "num_end": b, "number_text": quote,
            "sentence": text[ss:se].strip()}


def to_record(rep: dict, m: dict, lab: dict, meta: dict, nth: int = 0) -> dict:
    """One annotation record (the format of ``xxgk queue pull``) from a labeller's line.

    The item is the mention; ``nth`` > 0 for a further claim on the same span (a zero in
    words about two things, 未发生…行政复议、行政诉讼: one item a thing, as the claims stage
    gives one claim a thing)."""
    nac = bool(lab.get("not_a_claim")) or lab.get("metric") == "not_a_claim"
    key = f"{rep['report_sha256']}:{m['num_start']}:{m['num_end']}"
    item = "H-" + hashlib.sha1(key.encode()).hexdigest()[:12] + (f"-{nth + 1}" if nth else "")
    return {
        "item_id": item,
        "report_sha256": rep["report_sha256"],
        "source": rep["source"],
        "text": m["sentence"],
        "sentence": m["sentence"],
        "number_text": m["number_text"],
        "start": m["num_start"], "end": m["num_end"],
        "num_start": m["num_start"], "num_end": m["num_end"],
        "metric": "not_a_claim" if nac else lab.get("metric"),
        "value": None if nac else lab.get("value"),
        "not_a_claim": nac,
        "why": lab.get("why") if nac else None,
        "share_of": lab.get("share_of"),
        "share_part": lab.get("share_part"),
        "approx": bool(lab.get("approx", False)),
        "cumulative": bool(lab.get("cumulative", False)),
        "truncated": bool(lab.get("truncated", False)),
        "added": bool(lab.get("add", False)),
        "comment": lab.get("comment", ""),
        "annotator": meta.get("annotator", lab.get("annotator")),
        "annotated_at": meta.get("annotated_at", lab.get("annotated_at")),
        "origin": "hand",
        "mention_id": m["mid"],
    }


def cmd_import(args: argparse.Namespace) -> int:
    """Turn labellers' files (a header line, then one JSON line a mention) into annotation
    records."""
    prepared = Path(args.prepared)
    reports: dict[str, dict] = {}
    records = []
    for f in args.labels:
        meta: dict = {}
        spans: Counter = Counter()
        for n, line in enumerate(Path(f).read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            lab = json.loads(line)
            if "annotator" in lab and "mid" not in lab and "near" not in lab:
                meta = lab
                continue
            ref = str(lab.get("mid") or lab.get("near"))
            rid = ref.split("#")[0]
            if rid not in reports:
                reports[rid] = json.loads((prepared / "reports" / f"{rid}.json").read_text("utf-8"))
            rep = reports[rid]
            m = next((m for m in rep["mentions"] if m["mid"] == ref), None)
            if m is None:
                print(f"{f}:{n}: unknown mention {ref}", file=sys.stderr)
                continue
            if lab.get("add"):
                m = _added_mention(rep, m, lab, f"{f}:{n}")
                if m is None:
                    continue
            span = (rid, m["num_start"], m["num_end"])
            records.append(to_record(rep, m, lab, meta, nth=spans[span]))
            spans[span] += 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    print(f"wrote {len(records)} annotations to {out}")
    return 0


def kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two label sequences over the same items.

    >>> round(kappa(["x", "x", "y", "y"], ["x", "x", "y", "x"]), 3)
    0.5
    """
    from sklearn.metrics import cohen_kappa_score

    if not a:
        raise SystemExit("agreement: no mention is labelled in both files")
    if len(set(a) | set(b)) == 1:  # one label throughout: full agreement (scikit-learn gives nan)
        return 1.0
    return float(cohen_kappa_score(a, b))


def _label(r: dict) -> str:
    return "not_a_claim" if r.get("not_a_claim") else str(r.get("metric"))


def cmd_agreement(args: argparse.Namespace) -> int:
    def load(f: str) -> dict[str, dict]:
        out = {}
        for line in Path(f).read_text("utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out[f"{r['report_sha256']}:{r['num_start']}:{r['num_end']}"] = r
        return out

    a, b = load(args.a), load(args.b)
    both = sorted(a.keys() & b.keys())
    la, lb = [_label(a[k]) for k in both], [_label(b[k]) for k in both]
    agree = sum(x == y for x, y in zip(la, lb))
    print(f"{len(both)} mentions labelled twice; agree on {agree} ({agree / max(len(both), 1):.1%}); "
          f"Cohen's kappa {kappa(la, lb):.3f}")
    if args.show:
        for k, x, y in zip(both, la, lb):
            if x != y:
                print(f"  {a[k]['mention_id']}: {x} | {y}   {a[k]['sentence'][:80]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pages")
    p.add_argument("--source", default=str(SHARED_PAGES))
    p.set_defaults(fn=cmd_pages)
    p = sub.add_parser("prepare")
    p.add_argument("out")
    p.set_defaults(fn=cmd_prepare)
    p = sub.add_parser("import")
    p.add_argument("labels", nargs="+")
    p.add_argument("--prepared", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_import)
    p = sub.add_parser("agreement")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--show", action="store_true")
    p.set_defaults(fn=cmd_agreement)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
