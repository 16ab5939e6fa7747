"""The schema of the tables and the JSON view every consumer relies on (report-json.md)."""

from __future__ import annotations

from nlp.schema import (
    TABLE_A_2019,
    TABLE_A_2021,
    TABLE_B_2019,
    TABLE_B_2021,
    TABLE_C,
    Cell,
    Table,
    finding,
    stable_id,
)


def _table(defn, fill=1):
    cells = {(r.key, c): Cell(fill, str(fill)) for r in defn.rows for c in defn.cols_of(r)}
    return Table(defn, cells)


def test_row_counts_follow_the_templates():
    assert len(TABLE_B_2021.rows) == 25
    assert len(TABLE_B_2019.rows) == 23
    assert len(TABLE_B_2021.columns) == 7
    assert sum(len(TABLE_C.cols_of(r)) for r in TABLE_C.rows) == 15
    assert [r.key for r in TABLE_B_2021.rows if r.parent == "denied"][0] == "denied.state_secret"


def test_json_view_of_table_a_2021_has_scalars_and_column_dicts():
    j = _table(TABLE_A_2021).to_json()
    assert j["rules"] == {"issued": 1, "repealed": 1, "in_force": 1}
    assert j["licensing"] == 1 and j["fees_10k_yuan"] == 1


def test_json_view_of_table_a_2019_uses_its_own_columns():
    j = _table(TABLE_A_2019).to_json()
    assert set(j["normative_docs"]) == {"made", "published", "total"}
    assert set(j["licensing"]) == {"previous", "change", "decisions"}
    assert set(j["procurement"]) == {"projects", "amount_10k_yuan"}


def test_blank_cell_is_null_never_zero():
    t = _table(TABLE_B_2021)
    cells = dict(t.cells)
    cells[("new", "research")] = Cell(None, "")
    j = Table(TABLE_B_2021, cells).to_json()
    assert j["rows"]["new"][2] is None
    assert j["columns"][-1] == "total"


def test_cells_json_keeps_evidence():
    t = Table(TABLE_C, {("reconsideration", "total"): Cell(3, "3", 10, 11)})
    (c,) = t.cells_json()
    assert (c["table"], c["row"], c["col"], c["start"], c["end"]) == ("review", "reconsideration", "total", 10, 11)


def test_ids_are_stable_and_ignore_the_check_version():
    a = finding("table_b.row_sum.v1", "table_arithmetic", "error", "m", sha256="x", locus=("new", "total"))
    b = finding("table_b.row_sum.v2", "table_arithmetic", "error", "other words", sha256="x", locus=("new", "total"))
    c = finding("table_b.row_sum.v1", "table_arithmetic", "error", "m", sha256="x", locus=("new", "other"))
    assert a.id == b.id != c.id
    assert stable_id("a", 1) == stable_id("a", 1) != stable_id("a", 2)


def test_tables_come_back_from_their_json_view():
    """tables_from_json: a stored result's tables, each in the edition its keys tell."""
    from pathlib import Path

    from nlp.ingest import ingest
    from nlp.schema import tables_from_json
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    root = Path(__file__).resolve().parents[1]
    for path in (next((root / "samples").glob("001_*")), next((root / "samples").glob("002_*")),
                 root / "data" / "corpus" / "021_pingtan_2012.txt"):
        doc = ingest(path)
        t = parse_tables(doc, find_sections(doc))
        view = {n: (t.get(n).to_json() if t.get(n) else None) for n in ("active", "requests", "review", "stats")}
        back = tables_from_json(view)
        assert back.template == t.template and back.templates() == t.templates()
        for n, j in view.items():
            assert (back.get(n).to_json() if back.get(n) else None) == j



def test_json_text_parses_as_json_dumps_does_and_is_compact():
    """The result's encoder (orjson) gives JSON that parses to what ``json.dumps(value,
    ensure_ascii=False, default=str)`` gives, for every kind of value a result may hold,
    written without spaces; what orjson refuses is written by ``json.dumps``."""
    import collections
    import dataclasses
    import datetime
    import decimal
    import enum
    import json

    import numpy as np

    from nlp.schema import json_text

    @dataclasses.dataclass(frozen=True)
    class Span:
        start: int

    class Kind(str, enum.Enum):
        TABLE = "table"

    class Level(enum.IntEnum):
        HIGH = 2

    Pair = collections.namedtuple("Pair", "a b")
    values = [
        {"文字": "政府信息公开 \"引号\" \\ \n\t\x00\u2028", "n": [1, -0.0, 1e-05, 1e16, 0.1 + 0.2, 2 ** 63, -2 ** 63, True, None]},
        ("a", ("b", 1)), Span(3), datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        datetime.date(2026, 1, 2), {1, 2}, frozenset(), Pair(1, [2]), np.float64(0.5), np.int64(3), np.float32(0.25),
        np.bool_(True), decimal.Decimal("1.50"), Kind.TABLE, Level.HIGH, b"raw",
        2 ** 70, {1: "int key", None: "none key", 2.5: "float key", True: "bool key"}, "\ud800 a lone surrogate",
    ]
    for value in values + [values]:
        text = json_text(value)
        old = json.dumps(value, ensure_ascii=False, default=str)
        assert json.loads(text) == json.loads(old), value
    assert json_text({"a": [1, {"b": "c"}], "d": "公开"}) == '{"a":[1,{"b":"c"}],"d":"公开"}'
    assert json_text({1: [2 ** 70]}) == '{"1":[1180591620717411303424]}'  # json.dumps', compact too
    assert json.loads(json_text(np.int64(3))) == "3"  # as json.dumps(default=str): numpy ints are their str


def test_json_text_writes_null_for_nan_and_a_plain_enum_as_its_value():
    """The two deliberate differences from ``json.dumps``: NaN and infinities are ``null``
    (valid JSON, which ``NaN`` is not), a plain Enum member its value (json.dumps: its str)."""
    import enum
    import json

    from nlp.schema import json_text

    class Colour(enum.Enum):
        RED = 1

    assert json_text([float("nan"), float("inf"), -float("inf")]) == "[null,null,null]"
    assert json.loads(json_text({"c": Colour.RED})) == {"c": 1}


def test_json_text_of_a_result_parses_as_json_dumps_of_it():
    import json

    from result_factory import make_result
    from nlp.schema import json_text

    data = make_result().to_json()
    assert json.loads(json_text(data)) == json.loads(json.dumps(data, ensure_ascii=False, default=str))
