"""The Word documents a reviewer sends: a report's 问题清单 (``issue_list_docx``) and a batch's
通报 (``circular_docx``), with the confirmed findings and their figures.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Optional

from nlp.metrics import metric_zh
from nlp.schema import STATUS_ZH
from nlp.store import Store
from nlp.export.words import SEVERITY_ZH, _fmt, cell_label, evidence_lines, kind_zh


# ---------------------------------------------------------------------------
# 问题清单 (one report) and 通报 (a batch): Word documents to send
# ---------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FONT = "宋体"


def _docx():
    """A new Word document whose styles write Chinese in 宋体 (python-docx)."""
    from docx import Document as WordDocument
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = WordDocument()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Number", "Table Grid"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        if name == "Normal":
            style.font.size = Pt(11)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), _FONT)
    return doc


def _table_rows(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else _fmt(value) if isinstance(value, (int, float)) else str(value)


def _local(iso: Optional[str]) -> str:
    from datetime import datetime

    if not iso:
        return ""
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(iso)


def find_reports(store: Store, names: list[str]) -> list[str]:
    """The sha256 of each stored report ``names`` names — a sha256 or a prefix of one, a
    path as it was checked, or a file name — in order; E036 for a name that fits none."""
    from nlp.errors import Errors, XxgkError

    rows = store.overview()
    out = []
    for name in names:
        sha = store.resolve_sha(name)
        if sha is None:
            hits = [r["sha256"] for r in rows if name in (r["source"], Path(r["source"] or "").name)]
            sha = hits[0] if len(hits) == 1 else None
        if sha is None:
            raise XxgkError(Errors.E036, name=name, path=store.path)
        out.append(sha)
    return out


def document_name(report: dict[str, Any]) -> str:
    """A file name for a report's 问题清单: ``问题清单_单位_2024_1a2b3c4d.docx``."""
    unit = re.sub(r'[\\/:*?"<>|\s]+', "", _unit(report))[:40]
    year = f"_{report['year']}" if report.get("year") else ""
    return f"问题清单_{unit}{year}_{report['sha256'][:8]}.docx"


def figures(store: Store, sha256: str) -> dict[tuple[str, str, str], Any]:
    """A report's stored cells as ``(table, row, col) -> value`` (corrections applied)."""
    return {(c["tbl"], c["row_key"], c["col_key"]): c["value"] for c in store.cells(sha256)}


def confirmed_items(store: Store, sha256: str, decisions: tuple[str, ...] = ("confirmed_defect",)) -> list[dict[str, Any]]:
    """What reviewers decided (by default: confirmed as defects) in one report, as items of
    a 问题清单: each finding so decided, and each claim so decided that no decided finding
    already reports. Every item: ``kind`` (its Chinese name), ``severity``, ``message``,
    ``evidence`` (``evidence_lines``), ``comment``, ``reviewer``, ``decided_at``,
    ``decision``."""
    findings = [f for f in store.findings(sha256) if f["decision"] in decisions]
    reported = {f.get("claim_id") for f in findings}
    cells = figures(store, sha256) if findings else {}
    out = [{
        "id": f["id"], "kind": kind_zh(f["kind"]), "kind_key": f["kind"], "severity": SEVERITY_ZH.get(f["severity"], f["severity"]),
        "message": f["message"], "evidence": evidence_lines(f["evidence"], cells), "comment": f["comment"],
        "reviewer": f["reviewer"], "decided_at": f["decided_at"], "decision": f["decision"],
    } for f in findings]
    for c in store.claims(sha256):
        if c["decision"] in decisions and c["id"] not in reported:
            lines = [("叙述", f"「{c['text']}」= {_fmt(c['value'])}{c.get('unit') or ''}"),
                     ("指标", metric_zh(c["metric"])), ("表格数值", _fmt(c["table_value"])),
                     ("依据", c["evidence"] or "")]
            out.append({
                "id": c["id"], "kind": "叙述与表格不一致" if c["status"] == "mismatch" else "叙述数字需核实",
                "kind_key": "claim_" + c["status"], "severity": STATUS_ZH.get(c["status"], c["status"]),
                "message": f"「{c['text']}」报告数值 {_fmt(c['value'])},表格数值 {_fmt(c['table_value'])}",
                "evidence": lines, "comment": c["comment"], "reviewer": c["reviewer"],
                "decided_at": c["decided_at"], "decision": c["decision"],
            })
    return out


def _unit(report: dict[str, Any]) -> str:
    return report.get("agency") or Path(report.get("source") or "").stem or "(单位未识别)"


def issue_list_docx(store: Store, sha256: str) -> bytes:
    """A report's 问题清单 as a Word document, ready to send to its unit: the unit, the
    report, each problem reviewers confirmed with its evidence and table figures and the
    reviewer's comment, the items still to follow up, and the figures reviewers corrected.

    Raises KeyError for a report the store does not hold."""
    report = store.report(sha256)
    if report is None:
        raise KeyError(sha256)
    confirmed = confirmed_items(store, sha256)
    follow = confirmed_items(store, sha256, ("needs_follow_up",))
    corrections = store.corrections(sha256)
    doc = _docx()
    unit, year = _unit(report), report.get("year")
    doc.add_heading(f"{unit}{f'{year}年度' if year else ''}政府信息公开工作年度报告问题清单", level=0)
    _table_rows(doc, ["项目", "内容"], [
        ["单位", unit], ["报告", report.get("title") or ""], ["年度", year or "未识别"],
        ["文件", report.get("source") or ""], ["报告SHA256", sha256],
        ["确认问题", f"{len(confirmed)} 项"], ["需跟进事项", f"{len(follow)} 项"],
        ["复核人", "、".join(sorted({i["reviewer"] for i in confirmed + follow if i["reviewer"]})) or ""],
    ])
    doc.add_paragraph()
    if confirmed:
        doc.add_paragraph(f"经核查,贵单位{f'{year}年度' if year else ''}政府信息公开工作年度报告存在以下问题,请核实并更正:")
    else:
        doc.add_paragraph("经核查,复核人员尚未确认本报告存在问题。")
    for title, items in (("一、确认的问题", confirmed), ("二、需进一步核实的事项", follow)):
        if not items:
            continue
        doc.add_heading(title, level=1)
        for n, item in enumerate(items, 1):
            doc.add_heading(f"{n}. {item['kind']}({item['severity']})", level=2)
            doc.add_paragraph(item["message"])
            if item["evidence"]:
                _table_rows(doc, ["证据", "内容"], [[k, v] for k, v in item["evidence"]])
            note = f"复核意见: {item['comment']}" if item["comment"] else "复核意见: 无"
            doc.add_paragraph(f"{note}(复核人 {item['reviewer'] or '未署名'},{_local(item['decided_at'])})")
    if corrections:
        doc.add_heading("三、复核时更正的读数" if follow else "二、复核时更正的读数", level=1)
        doc.add_paragraph("以下数字系核对报告原件后更正的读数,上述问题按更正后的数字核对:")
        _table_rows(doc, ["单元格或声明", "原读数", "更正为", "理由", "更正人"], [[
            cell_label(k["tbl"], k["row_key"], k["col_key"]) if k["kind"] == "cell" else f"声明 {k['claim_id']}",
            _fmt(k["original_value"]), _fmt(k["value"]), k["reason"], k["reviewer"],
        ] for k in corrections])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def circular_summary(store: Store, **filters: Any) -> dict[str, Any]:
    """The figures of a batch's 通报: per unit (its reports and confirmed problems by kind)
    and per kind of problem (problems, units), over the reports the overview's filters keep."""
    reports = store.overview(**filters)
    units: dict[str, dict[str, Any]] = {}
    kinds: dict[str, dict[str, Any]] = {}
    for r in reports:
        unit = _unit(r)
        items = confirmed_items(store, r["sha256"])
        u = units.setdefault(unit, {"unit": unit, "reports": [], "problems": 0, "by_kind": {}})
        u["reports"].append({"title": r.get("title") or r.get("source"), "year": r.get("year"),
                             "problems": len(items), "to_review": r["open"]})
        u["problems"] += len(items)
        for item in items:
            u["by_kind"][item["kind"]] = u["by_kind"].get(item["kind"], 0) + 1
            k = kinds.setdefault(item["kind"], {"kind": item["kind"], "problems": 0, "units": set()})
            k["problems"] += 1
            k["units"].add(unit)
    return {
        "reports": len(reports),
        "with_problems": sum(1 for u in units.values() for rep in u["reports"] if rep["problems"]),
        "problems": sum(u["problems"] for u in units.values()),
        "units": sorted(units.values(), key=lambda u: (-u["problems"], u["unit"])),
        "kinds": sorted(({**k, "units": len(k["units"])} for k in kinds.values()), key=lambda k: (-k["problems"], k["kind"])),
    }


def circular_docx(store: Store, title: str = "政府信息公开工作年度报告核查情况通报", **filters: Any) -> bytes:
    """A batch's 通报 as a Word document: how many reports were checked and how many had
    confirmed problems, then the problems by unit (with the kinds found in each) and by
    kind of problem (how many, in how many units). ``filters``: those of ``Store.overview``
    (year, agency, …)."""
    s = circular_summary(store, **filters)
    doc = _docx()
    doc.add_heading(title, level=0)
    doc.add_paragraph(
        f"本次共核查政府信息公开工作年度报告 {s['reports']} 份,经复核确认存在问题的 {s['with_problems']} 份,"
        f"确认问题共 {s['problems']} 项。具体情况如下。")
    doc.add_heading("一、各单位情况", level=1)
    _table_rows(doc, ["单位", "报告", "确认问题", "问题类型", "尚待复核"], [[
        u["unit"], "、".join(f"{rep['year'] or ''}年度" if rep["year"] else str(rep["title"]) for rep in u["reports"]),
        u["problems"], "、".join(f"{k}{n}项" for k, n in sorted(u["by_kind"].items(), key=lambda kv: -kv[1])) or "无",
        sum(rep["to_review"] for rep in u["reports"]),
    ] for u in s["units"]])
    doc.add_heading("二、问题类型", level=1)
    if s["kinds"]:
        _table_rows(doc, ["问题类型", "问题数", "涉及单位数"], [[k["kind"], k["problems"], k["units"]] for k in s["kinds"]])
    else:
        doc.add_paragraph("尚无经复核确认的问题。")
    doc.add_heading("三、工作要求", level=1)
    doc.add_paragraph("请存在问题的单位对照问题清单逐项核实,更正年度报告中的错误,并做好解释说明工作。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
