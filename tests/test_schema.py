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

