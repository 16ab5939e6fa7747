"""The scope of the labelling guide's rules §8.10–§8.13 (the fifth pass, docs/labelling.md §9):
every current hand label whose clause matches a rule's pattern, found by searching the labelled
text (never the model's errors), printed with its clause so that each can be read again.

    .venv/bin/python scripts/try_scope.py a|b|c|d

a: a category named like a metric (§8.10); b: channel counts (§8.11); c: key-area words (§8.12);
d: zeros in words (§8.13: the added zeros, then every fee zero and 依申请 zero phrase of the text).
"""

from __future__ import annotations

import glob
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.ingest import ingest  # noqa: E402

SEP = re.compile("[,;:。\n\uff0c\uff1b\uff1a]")
CHANNEL = re.compile(r"网站|门户|公报|公开栏|微信|微博|公众号|头条|抖音|客户端|APP|App|新媒体|快手|视频号|平台|报刊|电视|广播|媒体")
NEW_MEDIA_CHANNEL = re.compile(r"网站|门户|公报|公开栏|微信|微博|公众号|头条|抖音|客户端|APP|App|新媒体|快手|视频号|平台|报刊|电视|广播")
NEW_MEDIA_COUNT = re.compile(r"\s*(余|多)?\s*(条|篇|件|则|个)")
PATTERNS = {
    "a": (None, re.compile(r"解读|图解|发布会|规章|规范性文件|行政处罚|行政许可|行政强制|审计|双公示")),
    "b": (("proactive.total", "proactive.part", "new_media"), CHANNEL),
    "c": (("proactive.part", "key_areas", "other", "proactive.total"), re.compile(
        r"安全生产|项目建设|建设项目|重大项目|政府采购|采购|招标|投标|国资|国有资产|国有企业|产权交易|公共资源|财政|预决算|预算|决算"
        r"|三公|扶贫|脱贫|乡村振兴|教育|医疗|卫生|环保|环境|生态|食品|药品|征地|拆迁|征收|社会保障|社保|救助|就业|公益|保障性住房|疫情|防疫")),
}
COUNT_AFTER = re.compile(r"\s*(余|多)?\s*(条|篇|件|个|项|期|则)")
FEE_ZERO = re.compile(r"(未|没有|无|不存在|均未|不)[^。,;，]{0,12}(收取|收|产生|发生|涉及)[^。,;，]{0,14}费")
REQ_ZERO = re.compile(r"(因此|故|所以)?(未|没有|无)[^。,;，]{0,6}(产生|发生)?[^。,;，]{0,8}依申请[^。,;，]{0,16}")


def current() -> list[dict]:
    """Each item's latest record (by annotated_at, then file order) of annotations/**/*.jsonl."""
    latest: dict[str, dict] = {}
    for f in sorted(glob.glob(str(ROOT / "annotations" / "**" / "*.jsonl"), recursive=True)):
        for line in Path(f).read_text("utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                k = d.get("item_id")
                if k and (k not in latest or (d.get("annotated_at") or "") >= (latest[k].get("annotated_at") or "")):
                    latest[k] = d
    return list(latest.values())


_TEXT: dict[str, str] = {}


def text(src: str) -> str:
    if src not in _TEXT:
        _TEXT[src] = ingest(ROOT / src).text  # the offsets of the records index the ingested text
    return _TEXT[src]


def clause(d: dict) -> tuple[str, str]:
    t, a, b = text(d["source"]), d["num_start"], d["num_end"]
    i = a
    while i > 0 and not SEP.match(t[i - 1]) and a - i < 60:
        i -= 1
    return t[i:a], t[b:b + 12]


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "a"
    labels = current()
    claims = [d for d in labels if not d.get("not_a_claim")]
    seen: Counter = Counter()
    if which in PATTERNS:
        metrics, pat = PATTERNS[which]
        for d in sorted(claims, key=lambda d: d["mention_id"]):
            if metrics and d["metric"] not in metrics:
                continue
            left, right = clause(d)
            hit = pat.search(left[-30:] if which == "c" else left + (right[:3] if which == "a" else ""))
            count = COUNT_AFTER.match(right)
            if which == "b" and d["metric"] == "new_media":  # the new-media counts read: the narrower pattern
                hit, count = NEW_MEDIA_CHANNEL.search(left), NEW_MEDIA_COUNT.match(right)
            if hit and (which == "a" or count):
                seen[d["metric"]] += 1
                print(f"{d['mention_id']:28s} {d['metric']:24s} {left}【{d['number_text']}】{right}")
    else:
        zeros = [d for d in claims if d.get("added") and d.get("value") == 0]
        seen.update(d["metric"] for d in zeros)
        by_src: dict[str, list[dict]] = {}
        for d in claims:
            by_src.setdefault(d["source"], []).append(d)
        for src in sorted({d["source"] for d in labels}):
            t = text(src)
            for pat in (FEE_ZERO, REQ_ZERO):
                for m in pat.finditer(t):
                    a, b = m.span()
                    near = [(d["number_text"][:16], d["metric"]) for d in by_src.get(src, ())
                            if d["num_start"] <= b and d["num_end"] >= a]
                    seen["phrase"] += 1
                    print(f"{src}: {t[max(0, a - 25):b + 6]!r} => {near or 'unlabelled'}")
    print(dict(seen))


if __name__ == "__main__":
    main()
