"""Decoding: GBK and BOMs, UTF-16 without a BOM, a file cut in a character, binary data (E004)."""

from __future__ import annotations

import os


from builders import (
    assert_offsets_consistent,
    assert_tables_consistent,
    ingest_raises,
    corpus,
    needs_data,
    seed,
)
from nlp.ingest import ingest


@needs_data
def test_html_reencoded_as_gbk_decodes_identically(tmp_path):
    src = corpus("006")
    utf8 = ingest(src)
    html = src.read_text(encoding="utf-8")
    with_meta = tmp_path / "gbk_meta.html"
    with_meta.write_bytes(html.replace('<meta charset="utf-8">', '<meta charset="gbk">').encode("gbk"))
    no_meta = tmp_path / "gbk_nometa.html"
    no_meta.write_bytes(html.replace('<meta charset="utf-8">', "").encode("gbk"))
    http_equiv = tmp_path / "gb2312_http_equiv.htm"
    http_equiv.write_bytes(
        html.replace(
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        ).encode("gb18030")
    )
    for p in (with_meta, no_meta, http_equiv):
        doc = ingest(p)
        assert doc.encoding in ("gbk", "gb18030")
        assert doc.text == utf8.text
        assert doc.source_tables == utf8.source_tables


@needs_data
def test_txt_in_gbk_and_with_bom_decodes(tmp_path):
    text = seed("002").read_text(encoding="utf-8")
    ref = ingest(seed("002"))
    g = tmp_path / "r.txt"
    g.write_bytes(text.encode("gb18030"))
    b = tmp_path / "b.txt"
    b.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert ingest(g).text == ref.text
    assert ingest(g).encoding in ("gbk", "gb18030")
    doc = ingest(b)
    assert doc.text == ref.text
    assert_offsets_consistent(doc)


def test_binary_garbage_named_txt_is_e004(tmp_path):
    p = tmp_path / "garbage.txt"
    p.write_bytes(os.urandom(64 * 1024))
    ingest_raises(p, "E004")
    z = tmp_path / "zeros.txt"
    z.write_bytes(b"\x00\x01\x02\x03" * 4096)
    ingest_raises(z, "E004")


def test_utf16_without_bom_and_preformatted_html(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes("一、总体情况\n本年度主动公开信息815条。\n".encode("utf-16-le"))
    doc = ingest(p)
    assert doc.encoding == "utf-16-le" and "815条" in doc.text
    h = tmp_path / "pre.html"
    h.write_text("<p>统计表</p><pre>指标名称   本年度   累计\n主动公开   12       34\n</pre>", encoding="utf-8")
    assert ingest(h).text.split("\n") == ["统计表", "指标名称 本年度 累计", "主动公开 12 34"]


@needs_data
def test_truncated_html_still_reads(tmp_path):
    data = corpus("006").read_bytes()
    half = len(data) // 2
    while data[half] & 0xC0 != 0x80:  # cut inside a multi-byte character, mid-page
        half += 1
    cut = tmp_path / "cut.html"
    cut.write_bytes(data[:half])
    doc = ingest(cut)
    assert doc.encoding == "utf-8" and doc.warnings
    assert "一、总体情况" in doc.text
    full = ingest(corpus("006")).text
    assert doc.text[:-1] == full[: len(doc.text) - 1]
    assert_offsets_consistent(doc)
    assert_tables_consistent(doc)
    empty = tmp_path / "tags_only.html"
    empty.write_bytes(b"<html><head><title></title><script>var a=1;</script></head><body><div>")
    ingest_raises(empty, "E008")
