"""``xxgk export`` (nlp/cli/export.py over nlp/export.py): Parquet files a notebook reads back
as the store's rows, typed, with the current decisions; CSV and Excel through the same
command."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SAMPLES, xxgk
from nlp.export import PARQUET_COLUMNS
from nlp.pipeline import Checker, check_batch
from nlp.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "x.sqlite"
    with Store(path) as store:
        list(check_batch([SAMPLES], Checker("rules"), store))
        claim, finding = store.claims()[0], store.findings()[0]
        store.record_decision(claim["id"], "claim", claim["sha256"], "needs_follow_up", "先看表三", "王")
        store.record_decision(claim["id"], "claim", claim["sha256"], "false_alarm", "看错了", "王")
        store.record_decision(finding["id"], "finding", finding["sha256"], "confirmed_defect", "", "李")
        cell = store.cells(claim["sha256"])[0]
        store.record_correction(claim["sha256"], cell=(cell["tbl"], cell["row_key"], cell["col_key"]),
                                value=7, reason="原文为7", reviewer="王")
    return path


def test_parquet_holds_every_table_typed_with_current_decisions(db, tmp_path):
    proc = xxgk("export", str(tmp_path), "--format", "parquet", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.parquet" for t in PARQUET_COLUMNS)
    frames = {t: pd.read_parquet(tmp_path / f"{t}.parquet") for t in PARQUET_COLUMNS}
    for t, cols in PARQUET_COLUMNS.items():
        assert list(frames[t].columns) == [c for c, _ in cols]
    with Store(db) as store:
        assert len(frames["reports"]) == len(store.overview()) == 5
        assert len(frames["claims"]) == len(store.claims())
        assert len(frames["findings"]) == len(store.findings())
        assert len(frames["cells"]) == sum(len(store.cells(r["sha256"])) for r in store.overview())
        assert len(frames["decisions"]) == 3  # the history, not only the current ones
        assert frames["corrections"][["kind", "value", "reviewer"]].values.tolist() == [["cell", 7.0, "王"]]
        claim = store.claims()[0]
    claims = frames["claims"].set_index("id")
    assert claims.loc[claim["id"], "decision"] == "false_alarm" and claims.loc[claim["id"], "comment"] == "看错了"
    assert claims["value"].dtype == "float64" and claims["to_review"].dtype == bool
    assert frames["reports"]["year"].dtype == "int64"
    named = frames["cells"][frames["cells"]["finding_ids"].map(len) > 0]
    assert set(named["finding_ids"].explode()) <= set(frames["findings"]["id"])


def test_csv_and_excel_through_the_same_command(db, tmp_path):
    assert xxgk("export", str(tmp_path), "-f", "csv", "--db", str(db)).returncode == 0
    assert (tmp_path / "claims.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "corrections.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert xxgk("export", str(tmp_path), "-f", "xlsx", "--db", str(db)).returncode == 0
    assert set(pd.read_excel(tmp_path / "xxgk.xlsx", sheet_name=None)) == {"问题", "声明", "更正", "检查清单"}


def test_a_missing_store_is_one_error(tmp_path):
    proc = xxgk("export", str(tmp_path / "out"), "--db", str(tmp_path / "none.sqlite"))
    assert proc.returncode == 2 and proc.stderr.startswith("error E031")
