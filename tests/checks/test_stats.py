"""The statistics table's checks: 本年 ≤ 历年累计; parts that divide their whole add up to it,
parts that may overlap are each at most it. Each fires on a table that breaks the rule and
stays quiet on its near twin that keeps it."""

from __future__ import annotations

from builders import run_check
from nlp.schema import TABLE_STATS, Cell, Table, Tables


def stats(**rows: tuple) -> Tables:
    """A statistics table of the given rows (keys with ``__`` for ``.``): (year, cumulative)."""
    cells = {}
    for key, vals in rows.items():
        for col, v in zip(("year", "cumulative"), vals):
            cells[(key.replace("__", "."), col)] = Cell(v, "" if v is None else str(v))
    return Tables(template="pre2019", stats=Table(TABLE_STATS, cells))


def test_year_above_cumulative_fires_and_equal_is_quiet():
    (f,) = run_check("stats.cumulative.v1", stats(active=(120, 100), requests=(3, 3)))
    assert f.kind == "table_arithmetic" and f.severity == "error"
    assert "120" in f.message and "100" in f.message and f.evidence["cells"][0]["row"] == "active"
    assert run_check("stats.cumulative.v1", stats(active=(100, 120), requests=(3, 3))) == []


def test_request_channels_add_up_to_the_requests():
    bad = stats(requests=(9, 20), requests__in_person=(3, 10), requests__online=(5, 10))
    (f,) = run_check("stats.parts.v1", bad)
    assert f.evidence["cells"][-1]["row"] == "requests" and f.evidence["cells"][0]["col"] == "year"
    assert "8" in f.message and "9" in f.message
    good = stats(requests=(8, 20), requests__in_person=(3, 10), requests__online=(5, 10))
    assert run_check("stats.parts.v1", good) == []


def test_an_active_channel_is_at_most_the_whole_but_channels_may_overlap():
    overlap = stats(active=(100, 900), active__website=(100, 900), active__gazette=(20, 40))
    assert run_check("stats.parts.v1", overlap) == []  # 120 > 100: an item on both, no defect
    (f,) = run_check("stats.parts.v1", stats(active=(100, 900), active__website=(130, 900)))
    assert "130" in f.message and f.severity == "error"


def test_no_statistics_table_is_not_assessable():
    import pytest

    from nlp.checks.registry import NotAssessable

    for name in ("stats.parts.v1", "stats.cumulative.v1"):
        with pytest.raises(NotAssessable):
            run_check(name, Tables(template="2021"))
