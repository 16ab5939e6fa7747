"""The data that flows between the stages, defined once.

ingest(path) -> Document
find_sections(Document) -> Sections
parse_tables(Document, Sections) -> Tables
extract_claims(Document, Sections, Tables) -> list[Claim]
reconcile(Document, Sections, Tables, claims) -> list[Claim]
run_checks(Document, Sections, Tables, claims) -> list[Finding]
store.save(ReportResult)

Every standard table's rows and columns are declared here, as data (``TABLE_A_2021`` …),
and the JSON view of a table (``Table.to_json``) follows ../spec/report-json.md.

It is one module of over 600 lines on purpose: it is the one contract every stage, service
and the app read (one schema per table, in one place), and splitting it would make each
reader look in several places for one shape.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import orjson

_ATOMS = frozenset((str, int, float, bool, type(None)))
_FIELDS: dict[type, tuple[str, ...]] = {}


def asdict(obj: Any) -> Any:
    """``dataclasses.asdict``, the same dicts, without its per-value ``deepcopy`` of strings
    and numbers (they are immutable: ``deepcopy`` returns them as they are); the JSON result
    of every report is made with it."""
    t = type(obj)
    if t in _ATOMS:
        return obj
    names = _FIELDS.get(t)
    if names is None and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELDS[t] = tuple(f.name for f in dataclasses.fields(obj))
    if names is not None:  # an atom is kept as it is without a call (most fields are atoms)
        return {n: v if type(v) in _ATOMS else asdict(v) for n in names for v in (getattr(obj, n),)}
    if t is list or t is tuple:
        return t(v if type(v) in _ATOMS else asdict(v) for v in obj)
    if t is dict:
        return {asdict(k): v if type(v) in _ATOMS else asdict(v) for k, v in obj.items()}
    return dataclasses._asdict_inner(obj, dict)  # type: ignore[attr-defined]  # namedtuples, subclasses, the rest


_ORJSON = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def _as_json_dumps(value: Any) -> Any:
    """What ``json.dumps(default=str)`` makes of a value orjson does not encode itself: a float
    subclass (numpy.float64) a number, a tuple subclass (a named tuple) an array, the rest
    (dataclasses, datetimes, sets, numpy ints …) its ``str``."""
    if isinstance(value, float):
        return float(value)
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def json_text(value: Any) -> str:
    """``value`` as compact JSON text (``{"a":1,"b":[2]}``, not ASCII-escaped): the one encoder
    of the JSON result (the store's ``result_json``, ``xxgk check --format json``). It parses
    to what ``json.dumps(value, ensure_ascii=False, default=str)`` gives, orjson's speed, with
    two deliberate exceptions: NaN and infinities are ``null`` (valid JSON; json.dumps writes
    ``NaN``, which JSON parsers and SQLite's json functions refuse) and a plain ``Enum`` member
    is its value (json.dumps: ``str(member)``; str and int enums are the same both ways).
    What orjson refuses (ints beyond 64 bits, dict keys that are not strings, lone surrogates,
    nesting deeper than 254) is written by ``json.dumps``, compact too."""
    try:
        return orjson.dumps(value, default=_as_json_dumps, option=_ORJSON).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def plain_asdict(obj: Any) -> dict[str, Any]:
    """:func:`asdict` of a dataclass instance, a copy of its ``__dict__`` (its fields, in
    order) when every value is a plain one (str, number, bool, None: a ``Cell``'s, a
    ``Claim``'s), without building it field by field; otherwise :func:`asdict`."""
    fields = obj.__dict__
    for v in fields.values():
        if type(v) not in _ATOMS:
            return asdict(obj)
    return fields.copy()


Number = Union[int, float]

READER_VERSION = "0.1.0"


# ---------------------------------------------------------------------------
# Stage 1: ingest
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceTable:
    """A table as the input format gave it (HTML ``<table>``, DOCX table, PDF table).

    ``rows`` is a rectangular grid of cell strings after rowspan/colspan expansion.
    ``start``/``end`` locate the table's text inside ``Document.text``.
    ``cell_spans`` holds, for each cell, its ``(start, end)`` in ``Document.text``
    (or ``None`` where the cell is a copy made by a span).
    """

    rows: tuple[tuple[str, ...], ...]
    start: int
    end: int
    cell_spans: tuple[tuple[Optional[tuple[int, int]], ...], ...] = ()


@dataclass(frozen=True)
class Document:
    """One report, decoded and cleaned.

    - ``display_text``: the decoded text the app shows (tables flattened as lines).
    - ``text``: the cleaned text every later stage reads (simplified script, pinyin debris
      removed, full-width digits/punctuation folded, NFKC, page furniture removed).
    - ``offsets``: ``offsets[i]`` is the index in ``display_text`` of ``text[i]``;
      ``len(offsets) == len(text) + 1`` (the last entry maps the end).
    """

    source: str
    sha256: str
    format: str  # txt | md | html | pdf | docx | doc | wps
    display_text: str
    text: str
    offsets: tuple[int, ...]
    script: str = "hans"  # hans | hant (of the input, before conversion)
    encoding: Optional[str] = None
    source_tables: tuple[SourceTable, ...] = ()
    warnings: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()  # pages (1-based) whose text was read from an image by OCR
    ocr_spans: tuple[tuple[int, int], ...] = ()  # their text in ``text``: uncertain, as OCR is

    def is_ocr(self, start: int) -> bool:
        """Was the text at ``start`` read by OCR?"""
        return any(a <= start < b for a, b in self.ocr_spans)

    def to_display(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to ``display_text``."""
        return self.offsets[start], self.offsets[end]


# ---------------------------------------------------------------------------
# Stage 2: sections and metadata
# ---------------------------------------------------------------------------

SECTION_KEYS = ("overview", "active", "requests", "review", "problems", "other")
"""一 总体情况, 二 主动公开 (table A), 三 依申请 (table B), 四 复议诉讼 (table C), 五 问题, 六 其他."""


@dataclass(frozen=True)
class Section:
    key: str  # one of SECTION_KEYS, or "preamble"
    heading: str
    start: int  # offset in Document.text of the heading
    body_start: int  # first char after the heading line
    end: int


@dataclass(frozen=True)
class ReportMeta:
    title: Optional[str]
    agency: Optional[str]
    year: Optional[int]
    script: str  # hans | hant
    year_evidence: Optional[str] = None


@dataclass(frozen=True)
class Sections:
    """The report's sections in text order, its metadata, and ``headings``: the table
    sections (``active``, ``requests``, ``review``) whose heading in the template's words is in
    the text, whether or not a section was cut there (find_sections' second-chance search)."""

    meta: ReportMeta
    sections: tuple[Section, ...]
    headings: tuple[str, ...] = ()

    def has_heading(self, key: str, *, strict: bool = False) -> bool:
        """Has the report the heading of section ``key``? ``strict``: only a heading in the
        template's words counts, not a section cut at a looser heading."""
        return key in self.headings or (not strict and self.get(key) is not None)

    def get(self, key: str) -> Optional[Section]:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def section_at(self, offset: int) -> Optional[Section]:
        for s in self.sections:
            if s.start <= offset < s.end:
                return s
        return None


# ---------------------------------------------------------------------------
# Stage 3: tables — the schema of the three standard tables, as data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowDef:
    """One row of a standard table.

    ``key``: the stable key (report-json.md). ``labels``: the label texts that identify the
    row (simplified, punctuation-free matching is the parser's business). ``parent``: the
    group a numbered sub-row belongs to (e.g. ``denied`` for ``denied.state_secret``).
    ``columns``: the column keys of this row (table A rows differ), or ``None`` = the table's.
    ``json_scalar``: in the JSON view the row is one number, not a dict (table A 2021).
    """

    key: str
    labels: tuple[str, ...]
    parent: Optional[str] = None
    columns: Optional[tuple[str, ...]] = None
    json_key: Optional[str] = None
    json_scalar: bool = False


@dataclass(frozen=True)
class TableDef:
    name: str  # active | requests | review
    template: str  # 2021 | 2019
    columns: tuple[str, ...]
    rows: tuple[RowDef, ...]

    def row(self, key: str) -> RowDef:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def cols_of(self, row: RowDef) -> tuple[str, ...]:
        return row.columns or self.columns

    def __reduce_ex__(self, protocol: Any) -> Any:
        """A standard definition (``TABLE_DEFS``) is pickled by its name and template, not
        row by row: every result a batch's worker sends its parent holds three."""
        if _STANDARD_TABLES.get((self.name, self.template)) == self:
            return _standard_table, (self.name, self.template)
        return object.__reduce_ex__(self, protocol)


def _standard_table(name: str, template: str) -> "TableDef":
    return _STANDARD_TABLES[(name, template)]


_A21_DOC_COLS = ("issued", "repealed", "in_force")
_A19_DOC_COLS = ("made", "published", "total")
_A19_ITEM_COLS = ("previous", "change", "decisions")

TABLE_A_2021 = TableDef(
    name="active",
    template="2021",
    columns=("value",),
    rows=(
        RowDef("rules", ("规章",), columns=_A21_DOC_COLS),
        RowDef("normative_docs", ("行政规范性文件", "规范性文件"), columns=_A21_DOC_COLS),
        RowDef("licensing", ("行政许可",), columns=("decisions",), json_scalar=True),
        RowDef("penalty", ("行政处罚",), columns=("decisions",), json_scalar=True),
        RowDef("coercion", ("行政强制",), columns=("decisions",), json_scalar=True),
        RowDef(
            "fees",
            ("行政事业性收费",),
            columns=("amount_10k_yuan",),
            json_key="fees_10k_yuan",
            json_scalar=True,
        ),
    ),
)

TABLE_A_2019 = TableDef(
    name="active",
    template="2019",
    columns=("value",),
    rows=(
        RowDef("rules", ("规章",), columns=_A19_DOC_COLS),
        RowDef("normative_docs", ("规范性文件", "行政规范性文件"), columns=_A19_DOC_COLS),
        RowDef("licensing", ("行政许可",), columns=_A19_ITEM_COLS),
        RowDef("other_services", ("其他对外管理服务事项",), columns=_A19_ITEM_COLS),
        RowDef("penalty", ("行政处罚",), columns=_A19_ITEM_COLS),
        RowDef("coercion", ("行政强制",), columns=_A19_ITEM_COLS),
        RowDef("fees", ("行政事业性收费",), columns=("previous", "change")),
        RowDef("procurement", ("政府集中采购",), columns=("projects", "amount_10k_yuan")),
    ),
)

REQUEST_COLUMNS = ("natural_person", "commercial", "research", "social", "legal", "other", "total")
REQUEST_COLUMN_LABELS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")

_B_HEAD = (
    RowDef("new", ("本年新收政府信息公开申请数量", "本年新收")),
    RowDef("carried_in", ("上年结转政府信息公开申请数量", "上年结转")),
    RowDef("granted", ("予以公开",)),
    RowDef("partial", ("部分公开",)),
    RowDef("denied.state_secret", ("属于国家秘密",), parent="denied"),
    RowDef("denied.law_forbidden", ("其他法律行政法规禁止公开",), parent="denied"),
    RowDef("denied.three_safety", ("危及三安全一稳定", "三安全一稳定"), parent="denied"),
    RowDef("denied.third_party", ("保护第三方合法权益",), parent="denied"),
    RowDef("denied.internal_affairs", ("属于三类内部事务信息",), parent="denied"),
    RowDef("denied.process_info", ("属于四类过程性信息",), parent="denied"),
    RowDef("denied.enforcement_file", ("属于行政执法案卷",), parent="denied"),
    RowDef("denied.query_matter", ("属于行政查询事项",), parent="denied"),
    RowDef("unavailable.not_held", ("本机关不掌握相关政府信息",), parent="unavailable"),
    RowDef("unavailable.needs_creation", ("没有现成信息需要另行制作",), parent="unavailable"),
    RowDef("unavailable.unclear", ("补正后申请内容仍不明确",), parent="unavailable"),
    RowDef("not_processed.petition", ("信访举报投诉类申请",), parent="not_processed"),
    RowDef("not_processed.duplicate", ("重复申请",), parent="not_processed"),
    RowDef("not_processed.publication", ("要求提供公开出版物",), parent="not_processed"),
    RowDef("not_processed.mass_repeat", ("无正当理由大量反复申请",), parent="not_processed"),
    RowDef(
        "not_processed.confirm_existing",
        ("要求行政机关确认或重新出具已获取信息",),
        parent="not_processed",
    ),
)
_B_TAIL = (
    RowDef("closed", ("总计",)),
    RowDef("carried_out", ("结转下年度继续办理", "结转下年度")),
)

TABLE_B_2021 = TableDef(
    name="requests",
    template="2021",
    columns=REQUEST_COLUMNS,
    rows=_B_HEAD
    + (
        RowDef(
            "other.no_correction",
            ("申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请", "逾期不补正"),
            parent="other",
        ),
        RowDef(
            "other.no_fee",
            ("申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请", "逾期未按收费通知要求缴纳费用"),
            parent="other",
        ),
        RowDef("other.other", ("其他",), parent="other"),
    )
    + _B_TAIL,
)

TABLE_B_2019 = TableDef(
    name="requests",
    template="2019",
    columns=REQUEST_COLUMNS,
    rows=_B_HEAD + (RowDef("other", ("其他处理",)),) + _B_TAIL,
)

B_GROUPS = ("denied", "unavailable", "not_processed", "other")
"""Row groups of table B whose sub-rows add up to the group's figure."""

B_RESULT_ROWS_TOP = ("granted", "partial")
"""The result rows of 三、本年度办理结果 that are not groups."""

REVIEW_COLUMNS = ("maintained", "corrected", "other", "pending", "total")
REVIEW_COLUMN_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

TABLE_C = TableDef(
    name="review",
    template="any",
    columns=REVIEW_COLUMNS,
    rows=(
        RowDef("reconsideration", ("行政复议",)),
        RowDef("litigation_direct", ("未经复议直接起诉",)),
        RowDef("litigation_after", ("复议后起诉",)),
    ),
)

STATS_COLUMNS = ("year", "cumulative")
STATS_COLUMN_LABELS = ("本年", "历年累计")

TABLE_STATS = TableDef(
    name="stats",
    template="pre2019",
    columns=STATS_COLUMNS,
    rows=(
        RowDef("active", ("主动公开信息数", "主动公开政府信息数", "主动公开文件数", "主动公开信息总数",
                          "主动公开政府信息总数", "主动公开政府信息")),
        RowDef("active.website", ("政府网站公开数", "网站公开数", "网站公开", "门户网站公开数"), parent="active"),
        RowDef("active.gazette", ("政府公报公开数", "政府公报公开", "公报公开数"), parent="active"),
        RowDef("active.other", ("其他方式公开数", "其他形式公开数"), parent="active"),
        RowDef("requests", ("受理依申请公开信息总数", "受理依申请公开申请总数", "收到申请数", "受理申请总数",
                            "收到政府信息公开申请数", "依申请公开信息总数")),
        RowDef("requests.in_person", ("当面申请数",), parent="requests"),
        RowDef("requests.fax", ("传真申请数",), parent="requests"),
        RowDef("requests.email", ("电子邮件申请数",), parent="requests"),
        RowDef("requests.online", ("网上申请数", "网络申请数"), parent="requests"),
        RowDef("requests.letter", ("信函申请数",), parent="requests"),
        RowDef("requests.letter_fax", ("信函传真申请数",), parent="requests"),
        RowDef("replies", ("对申请的答复总数", "申请答复数", "答复总数")),
        RowDef("replies.granted", ("同意公开答复数",), parent="replies"),
        RowDef("replies.partial", ("同意部分公开答复数",), parent="replies"),
        RowDef("replies.denied", ("不予公开答复数", "否决公开答复数", "不同意公开答复数"), parent="replies"),
        RowDef("replies.other", ("其他类型答复数",), parent="replies"),
        RowDef("reconsideration", ("行政复议数", "行政复议数量")),
        RowDef("litigation", ("行政诉讼数", "行政诉讼数量")),
        RowDef("complaints", ("行政申诉举报数", "申诉举报数", "举报投诉数量", "举报投诉数", "举报数")),
    ),
)
"""The statistics table (政府信息公开情况统计表) of the reports of 2008–2018: a figure for the
year and, often, one for all years so far (历年累计), in rows by kind and channel
(``active.website`` is a part of ``active``). Rows a report does not print are absent."""

STATS_PARTITIONS = ("requests", "replies")
"""Groups of the statistics table whose parts add up to the group's row: a request comes by
one channel, a reply is of one kind. (The channels of ``active`` may overlap: an item can be
on the website and in the gazette, so there each part is only at most the whole.)"""

TABLE_DEFS: dict[tuple[str, str], TableDef] = {
    ("active", "2021"): TABLE_A_2021,
    ("active", "2019"): TABLE_A_2019,
    ("requests", "2021"): TABLE_B_2021,
    ("requests", "2019"): TABLE_B_2019,
    ("review", "2021"): TABLE_C,
    ("review", "2019"): TABLE_C,
    ("stats", "pre2019"): TABLE_STATS,
}
_STANDARD_TABLES = {(d.name, d.template): d for d in TABLE_DEFS.values()}
"""The standard definitions by their own name and template (``TableDef.__reduce_ex__``)."""

TABLE_TITLES = {"active": "表A 主动公开", "requests": "表B 依申请公开", "review": "表C 复议诉讼",
                "stats": "统计表"}
TABLE_SHORT = {"active": "表A", "requests": "表B", "review": "表C", "stats": "统计表"}

COLUMN_ZH: dict[str, dict[str, str]] = {
    "active": {
        "issued": "本年制发件数",
        "repealed": "本年废止件数",
        "in_force": "现行有效件数",
        "decisions": "处理决定数量",
        "amount_10k_yuan": "金额(万元)",
        "made": "本年新制作数量",
        "published": "本年新公开数量",
        "total": "对外公开总数量",
        "previous": "上一年项目数量",
        "change": "本年增/减",
        "projects": "采购项目数量",
        "value": "数值",
    },
    "requests": dict(zip(REQUEST_COLUMNS, REQUEST_COLUMN_LABELS)),
    "review": dict(zip(REVIEW_COLUMNS, REVIEW_COLUMN_LABELS)),
    "stats": dict(zip(STATS_COLUMNS, STATS_COLUMN_LABELS)),
}
"""The Chinese header of each column key, per table (for messages and the app)."""

B_GROUP_ZH = {"denied": "不予公开", "unavailable": "无法提供", "not_processed": "不予处理", "other": "其他处理"}
STATS_GROUP_ZH = {"active": "主动公开", "requests": "依申请", "replies": "答复"}

_ROW_ZH = {
    ("requests", "closed"): "(七)总计",
    ("requests", "carried_out"): "四、结转下年度继续办理",
}


def column_zh(table: str, col: str) -> str:
    """The Chinese header of column ``col`` of table ``table`` (the key if unknown)."""
    return COLUMN_ZH.get(table, {}).get(col, col)


def row_zh(definition: "TableDef", key: str, sep: str = "·") -> str:
    """The Chinese label of a row, its group first for a numbered sub-row (不予公开·属于国家秘密)."""
    row = definition.row(key)
    label = _ROW_ZH.get((definition.name, key), row.labels[0])
    groups = STATS_GROUP_ZH if definition.name == "stats" else B_GROUP_ZH
    return f"{groups[row.parent]}{sep}{label}" if row.parent in groups else label



@dataclass(frozen=True)
class Cell:
    """One figure of a standard table, with its evidence.

    ``value`` is ``None`` for a blank cell (never 0). ``raw`` is the cell as written
    (``"00"``, ``"—"``, ``"1112万元"``). ``start``/``end`` locate it in ``Document.text``
    (``None`` when the input gave no position). ``uncertain`` is set where several readings
    fit (a glued run with more than one consistent split); ``note`` says why.

    ``derived``: the figure was not printed (a blank 总计) but computed from the cells it
    adds up; ``value`` is that sum, ``raw`` stays as printed, ``note`` says from what.
    ``ocr``: the cell was read from a page image by OCR (then also ``uncertain``).
    ``label``: the row's label as printed, where it is not the template's own (a misprint or
    a lost character: ``本机关不掌握政府信息``), and ``label_distance`` the characters it differs
    by (edit distance to the nearest template label).
    """

    value: Optional[Number]
    raw: str
    start: Optional[int] = None
    end: Optional[int] = None
    uncertain: bool = False
    note: Optional[str] = None
    derived: bool = False
    ocr: bool = False
    label: Optional[str] = None
    label_distance: int = 0


@dataclass(frozen=True)
class Table:
    """One parsed standard table: ``cells[(row_key, col_key)] -> Cell``.

    ``present`` is False when the section is there but holds no table (seed 003).
    ``start``/``end``: the table's extent in ``Document.text``.
    """

    definition: TableDef
    cells: dict[tuple[str, str], Cell]
    start: Optional[int] = None
    end: Optional[int] = None
    shape: str = ""  # how it was read: pipes | cell_per_line | row_per_line | glued | html | markdown …
    alternatives: tuple[dict[str, Any], ...] = ()  # other splits that also fit (glued text)

    @property
    def name(self) -> str:
        return self.definition.name

    def value(self, row: str, col: str) -> Optional[Number]:
        c = self.cells.get((row, col))
        return None if c is None else c.value

    def row_values(self, row: str) -> list[Optional[Number]]:
        rd = self.definition.row(row)
        return [self.value(row, c) for c in self.definition.cols_of(rd)]

    def has_row(self, row: str) -> bool:
        rd = self.definition.row(row)
        return any((row, c) in self.cells for c in self.definition.cols_of(rd))

    def to_json(self) -> dict[str, Any]:
        """The nested JSON view of report-json.md."""
        d = self.definition
        if d.name == "requests":
            return {
                "columns": list(d.columns),
                "rows": {r.key: self.row_values(r.key) for r in d.rows},
            }
        if d.name == "review":
            return {r.key: self.row_values(r.key) for r in d.rows}
        if d.name == "stats":  # only the rows the report prints
            return {r.key: {c: self.value(r.key, c) for c in d.cols_of(r) if (r.key, c) in self.cells}
                    for r in d.rows if self.has_row(r.key)}
        out: dict[str, Any] = {}
        for r in d.rows:
            key = r.json_key or r.key
            cols = d.cols_of(r)
            if r.json_scalar:
                out[key] = self.value(r.key, cols[0])
            else:
                out[key] = {c: self.value(r.key, c) for c in cols}
        return out

    def cells_json(self) -> list[dict[str, Any]]:
        """Every cell with its evidence, flat (the ``cells`` field of the JSON result)."""
        out = []
        for r in self.definition.rows:
            for c in self.definition.cols_of(r):
                cell = self.cells.get((r.key, c))
                if cell is None:
                    continue
                out.append({"table": self.name, "row": r.key, "col": c, **plain_asdict(cell)})
        return out


@dataclass(frozen=True)
class Tables:
    """The three standard tables of a report; a table the report does not have is None.

    ``template``: ``2021`` or ``2019`` when the tables read follow one edition, ``hybrid``
    when table A and table B follow different ones (each table's own is
    ``Table.definition.template``, see :meth:`template_of`), ``pre2019`` for a report of 2018
    or before, ``unknown``. ``stats``: the statistics table (统计表) of a report of 2008–2018
    (``TABLE_STATS``), apart from the three standard tables (``all()`` does not list it).
    """

    template: str  # 2021 | 2019 | hybrid | pre2019 | unknown
    active: Optional[Table] = None
    requests: Optional[Table] = None
    review: Optional[Table] = None
    notes: tuple[str, ...] = ()
    empty_sections: tuple[str, ...] = ()  # table sections whose heading is there but no table
    stats: Optional[Table] = None

    def get(self, name: str) -> Optional[Table]:
        return getattr(self, name)

    def all(self) -> list[Table]:
        return [t for t in (self.active, self.requests, self.review) if t is not None]

    def template_of(self, name: str) -> str:
        """The template table ``name`` follows: its own when it was read and its form varies
        (tables A and B), else the report's (``template``)."""
        t = self.get(name)
        if t is not None and t.definition.template in ("2021", "2019"):
            return t.definition.template
        return self.template

    def templates(self) -> dict[str, str]:
        """The template of each of tables A and B that was read (the mix of a hybrid report)."""
        return {t.name: t.definition.template for t in (self.active, self.requests) if t is not None}


def tables_from_json(tables: dict[str, Any]) -> Tables:
    """The tables of a stored result, from their JSON view (``ReportResult.to_json()["tables"]``,
    each table in its own edition, told by its keys): last year's figures, for a later report
    of the same unit. Cells have values only (no offsets)."""

    def cells_of(definition: TableDef, rows: dict[str, Any]) -> dict[tuple[str, str], Cell]:
        out: dict[tuple[str, str], Cell] = {}
        for rd in definition.rows:
            got = rows.get(rd.json_key or rd.key)
            cols = definition.cols_of(rd)
            if got is None and not (rd.json_scalar and (rd.json_key or rd.key) in rows):
                continue
            vals = got if isinstance(got, list) else [got.get(c) for c in cols] if isinstance(got, dict) else [got]
            for col, v in zip(cols, vals):
                out[(rd.key, col)] = Cell(v, "" if v is None else str(v))
        return out

    built: dict[str, Table] = {}
    a = tables.get("active")
    if a:
        inner = {k for v in a.values() if isinstance(v, dict) for k in v}
        form = TABLE_A_2019 if inner & {"made", "published", "previous", "change", "projects"} else TABLE_A_2021
        built["active"] = Table(form, cells_of(form, a))
    b = tables.get("requests")
    if b:
        form = TABLE_B_2019 if "other" in b.get("rows", {}) else TABLE_B_2021
        built["requests"] = Table(form, cells_of(form, b.get("rows", {})))
    if tables.get("review"):
        built["review"] = Table(TABLE_C, cells_of(TABLE_C, tables["review"]))
    if tables.get("stats"):
        built["stats"] = Table(TABLE_STATS, cells_of(TABLE_STATS, tables["stats"]))
    forms = {t.definition.template for t in built.values() if t.definition.template in ("2021", "2019")}
    template = forms.pop() if len(forms) == 1 else "hybrid" if forms else "pre2019" if "stats" in built else "unknown"
    return Tables(template=template, active=built.get("active"), requests=built.get("requests"),
                  review=built.get("review"), stats=built.get("stats"))


# ---------------------------------------------------------------------------
# Stages 4–5: claims and findings
# ---------------------------------------------------------------------------

CLAIM_STATUSES = ("match", "approx_match", "mismatch", "ambiguous", "unchecked")
STATUS_ZH: dict[str, str] = {
    "match": "一致",
    "approx_match": "近似一致",
    "mismatch": "不一致",
    "ambiguous": "需复核",
    "unchecked": "未核对",
}
"""The Chinese name of each claim status (the app, the exports, the annotators' queue)."""
SEVERITIES = ("error", "warning", "info")


def stable_id(*parts: Any, prefix: str = "") -> str:
    """A short id that is the same for the same parts, whatever the run."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}{h}"


@dataclass
class Claim:
    """A quantitative statement of the narrative (claims.md)."""

    id: str
    text: str  # the claim's words (the sentence clause around the number)
    start: int  # span of ``text`` in Document.text
    end: int
    value: Optional[Number]
    number_text: str  # the number as written ("1300余", "一千三百", "近70")
    num_start: int  # span of the number in Document.text
    num_end: int
    approx: bool = False
    qualifier: Optional[str] = None  # 余 多 近 约 以上 超过 …
    unit: Optional[str] = None
    metric: str = "other"
    confidence: float = 0.0
    sentence: str = ""
    section: Optional[str] = None
    status: str = "unchecked"
    table_value: Optional[Number] = None
    evidence: str = ""
    reading: Optional[str] = None  # which reading of an ambiguous wording matched
    review_score: float = 1.0
    needs_review: bool = False
    source: str = "model"  # model | rules | zero_words
    # a share (metric "share": 占23.1%, 办结率100%): the metric of the total it is a share of,
    # and the ids of the claims it links (the count it follows, the total); None otherwise
    share_of: Optional[str] = None
    part_id: Optional[str] = None
    total_id: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return plain_asdict(self)


KIND_ZH: dict[str, str] = {
    "section_content": "章节内容",
    "table_arithmetic": "表格运算不符",
    "inconsistent_totals": "总计不一致",
    "parts_sum": "分项之和不符",
    "rate": "比率与数字矛盾",
    "missing_number": "句中缺少数字",
    "damaged_cell": "单元格数字格式有误",
    "blank_cell": "空白单元格",
    "damaged_label": "行标签与模板不符",
    "ocr_cell": "扫描识别的数字",
    "invalid_value": "无效数值",
    "uncertain_split": "数字拆分不确定",
    "missing_table": "缺少标准表格",
    "template": "模板与年度不符",
    "claim_mismatch": "叙述与表格不一致",
    "claim_ambiguous": "叙述与表格对应不明确",
    "cross_year": "跨年度不一致",
    "enumeration": "序号不连续",
    "doubled_word": "词语重复",
    "repeated_text": "语句重复",
    "other_unit": "出现其他单位或外地地名",
    "date": "年份与报告年度不符",
    "copied_text": "照抄上年报告",
    "one_column": "总数只计了表格一列",
    "review_outcome": "复议诉讼结果表述与表C不符",
    "fee_statement": "信息处理费说明缺失或矛盾",
    "section_outline": "章节缺失、错序或编号有误",
    "blank_period": "统计期限未填写",
    "reissued": "与其他单位的报告雷同",
}
"""The Chinese name of every finding kind (each check declares its kinds; a test holds them here)."""


@dataclass
class Finding:
    """A defect or an observation, with evidence and a stable id."""

    id: str
    check: str  # registered name with version, e.g. "table_b.row_sum.v1"
    kind: str  # a key of KIND_ZH: table_arithmetic | parts_sum | rate | missing_number | damaged_cell | … (declared by the check)
    severity: str  # error | warning | info
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    span: Optional[tuple[int, int]] = None  # where in Document.text, if anywhere

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span) if self.span else None
        return d


def finding(check: str, kind: str, severity: str, message: str, *, sha256: str, locus: Any,
            evidence: Optional[dict[str, Any]] = None,
            span: Optional[tuple[int, int]] = None) -> Finding:
    """Build a Finding whose id depends on the report, the check (without its version) and
    the locus only, so the same defect keeps its id across runs and reader versions."""
    base = check.rsplit(".v", 1)[0]
    return Finding(
        id=stable_id(sha256, base, locus, prefix="F-"),
        check=check,
        kind=kind,
        severity=severity,
        message=message,
        evidence=evidence or {},
        span=span,
    )


@dataclass(frozen=True)
class Correction:
    """A reviewer's figure for a table cell or a claim the reader misread (nlp/corrections.py).

    ``kind`` is ``cell`` (``table``, ``row``, ``col``) or ``claim`` (``claim_id``). ``value``
    is the figure a person read (None: the cell is blank); ``metric`` a claim's metric as the
    reviewer gives it (None: unchanged). ``original_*`` keep what the reader had read.
    """

    kind: str  # cell | claim
    value: Optional[Number]
    reason: str
    reviewer: str
    created_at: str
    table: Optional[str] = None
    row: Optional[str] = None
    col: Optional[str] = None
    claim_id: Optional[str] = None
    metric: Optional[str] = None
    original_value: Optional[Number] = None
    original_raw: Optional[str] = None
    original_metric: Optional[str] = None
    id: Optional[int] = None  # its row in the store

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Correction":
        """From a row of ``Store.corrections()`` (``tbl``/``row_key``/``col_key`` columns)."""
        return cls(
            kind=row["kind"], value=row["value"], reason=row["reason"], reviewer=row["reviewer"],
            created_at=row["created_at"], table=row.get("tbl"), row=row.get("row_key"),
            col=row.get("col_key"), claim_id=row.get("claim_id"), metric=row.get("metric"),
            original_value=row.get("original_value"), original_raw=row.get("original_raw"),
            original_metric=row.get("original_metric"), id=row.get("id"),
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------
# The result of checking one report
# ---------------------------------------------------------------------------


@dataclass
class ReportResult:
    document: Document
    sections: Sections
    tables: Tables
    claims: list[Claim]
    findings: list[Finding]
    reader_version: str = READER_VERSION
    model_version: Optional[str] = None
    corrections: list[Correction] = field(default_factory=list)  # the reviewers' corrections applied
    checklist: list[dict[str, Any]] = field(default_factory=list)  # every check that ran: pass / fail / not_assessable
    unit: Optional[dict[str, Any]] = None  # the unit the report belongs to (nlp.units.Unit.to_json)
    pipeline_version: Optional[str] = None
    """What made this result: reader, checks, model and result-affecting settings
    (``nlp.pipeline.Checker.pipeline_version``). The store keeps it beside the result, so a
    batch skips a report already checked by the same pipeline; not part of the JSON."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of report-json.md (plus added fields)."""
        t = self.tables
        meta = self.sections.meta
        return {
            "source": self.document.source,
            "sha256": self.document.sha256,
            "reader_version": self.reader_version,
            "model_version": self.model_version,
            "report": {
                "title": meta.title,
                "agency": meta.agency,
                "year": meta.year,
                "template": t.template,
                "templates": t.templates(),
                "script": meta.script,
                "format": self.document.format,
                "ocr_pages": list(self.document.ocr_pages),
            },
            "tables": {
                "active": t.active.to_json() if t.active else None,
                "requests": t.requests.to_json() if t.requests else None,
                "review": t.review.to_json() if t.review else None,
                "stats": t.stats.to_json() if t.stats else None,
            },
            "cells": [c for tb in t.all() + ([t.stats] if t.stats else []) for c in tb.cells_json()],
            "sections": [asdict(s) for s in self.sections.sections],
            "claims": [c.to_json() for c in self.claims],
            **self.assessed_json(),
        }

    def assessed_json(self, findings: bool = True) -> dict[str, Any]:
        """The last fields of :meth:`to_json`: the findings and checklist, which the checks
        across reports (other years, other units) may change, and what lies between them
        (``findings`` False: all but the findings)."""
        return {
            **({"findings": [f.to_json() for f in self.findings]} if findings else {}),
            "corrections": [c.to_json() for c in self.corrections],
            "checklist": [dict(c) for c in self.checklist],
            "unit": self.unit,
        }
