"""nlp/model/weak.py: distant supervision from the report's own tables."""

from __future__ import annotations

from conftest import seed_path
from nlp.claims import claim_records
from nlp.model.dataset import read_report
from nlp.model.weak import distant_label


def test_distant_supervision_needs_equal_figure_and_fitting_words():
    rep = read_report(seed_path("002"))
    recs = {r["number_text"]: r for r in claim_records(rep.doc, rep.sections, rep.tables)
            if r["kind"] == "quantity" and "申请" in r["sentence"]}
    assert distant_label(recs["9"], rep.tables) == "requests.granted"
    assert distant_label(recs["10"], rep.tables) == "requests.carried_out"
    assert distant_label(recs["110"], rep.tables) == "requests.received_all"
    off = dict(recs["9"], value=9999)
    assert distant_label(off, rep.tables) is None
    assert distant_label(recs["9"], None) is None
