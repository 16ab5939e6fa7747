"""Shares as claims of their own (issue 10, point 5): a percentage that says what part of a total
something is (占比97.2%) is a claim of metric ``share``, linked to the count it follows
(``part_id``) and the total it is a share of (``total_id``, ``share_of``) by ``nlp.claims``; the
checks stream's ``narrative.share.v2`` checks it as count / total and reports a share that fits
neither figure. On real text: report openings of data/pages from the unlabelled pool
(annotations/agreement/unlabelled-pool.json: no label of them trained the shipped model), read
through the real stages with the shipped model; a defect is injected into a real sentence."""

from __future__ import annotations

import json
from dataclasses import replace

from builders import claim_at
from conftest import ROOT
from nlp.claims import extract_claims, link_shares
from nlp.model.dataset import read_report
from nlp.pipeline import check

POOL = json.loads((ROOT / "annotations" / "agreement" / "unlabelled-pool.json").read_text("utf-8"))
# data/pages p027 (a 市财政局's opening, 2021), its own sentences: 106 published, 103 + 3 by channel
P027 = ROOT / "data" / "pages" / "p027.txt"


def _claims(path):
    rep = read_report(path)
    return rep.doc.text, extract_claims(rep.doc, rep.sections, rep.tables)


def test_a_share_is_a_claim_linked_to_its_count_and_the_total():
    assert "p027" in POOL
    text, claims = _claims(P027)
    by_id = {c.id: c for c in claims}
    shares = [c for c in claims if c.metric == "share"]
    assert [(c.number_text, c.unit) for c in shares] == [("97.2", "%"), ("2.8", "%")]
    for s, part in zip(shares, ("103", "3")):
        assert by_id[s.part_id].number_text == part and by_id[s.part_id].sentence == s.sentence
        total = by_id[s.total_id]
        assert total.value == 106 and total.num_start < by_id[s.part_id].num_start
        assert s.share_of == total.metric == "proactive.total"
        assert round(100 * by_id[s.part_id].value / total.value, 1) == s.value  # the text is right
    assert all(c.share_of is None and c.part_id is None and c.total_id is None for c in claims if c.metric != "share")


def test_the_real_text_gives_no_share_finding_and_a_share_that_fits_neither_figure_is_reported(tmp_path):
    assert not [f for f in check(P027).findings if f.check.startswith("narrative.share")]
    bad = tmp_path / "p027.txt"
    bad.write_text(P027.read_text("utf-8").replace("占比97.2%", "占比87.2%"), "utf-8")
    result = check(bad)
    (f,) = [f for f in result.findings if f.check.startswith("narrative.share")]
    assert f.check == "narrative.share.v2" and f.severity == "warning"
    assert "103 / 106 = 97.2%" in f.message and "87.2" in f.message
    ev = f.evidence
    assert ev["part"]["text"].endswith("103条") and ev["total"]["text"].endswith("106条")
    # the total is the one the claims stage linked the share to (the sentence before; no other
    # total the check reads: the sentence's own counts each have a share)
    assert ev["against"] == "linked"
    (share,) = [c for c in result.claims if c.metric == "share" and c.value == 87.2]
    assert share.total_id == ev["total"]["claim_id"] and share.part_id == ev["part"]["claim_id"]


def test_link_shares_takes_the_total_the_part_is_a_part_of():
    # data/pages p104, its own sentence: 6 of 12 is 50%, twice
    text = "2024年全县共受理依申请公开12件,予以公开及部分公开的有6件,占50%;无法提供的有6件,占50%。"
    claims = [claim_at(text, "12", 12, "requests.received_all", unit="件"),
              claim_at(text, "6", 6, "requests.granted_and_partial", unit="件"),
              claim_at(text, "50", 50, "share", unit="%"),
              claim_at(text, "6", 6, "requests.unavailable", nth=1, unit="件"),
              claim_at(text, "50", 50, "share", nth=1, unit="%")]
    claims = [replace(c, sentence=text) for c in claims]
    out = link_shares(claims)
    assert [(c.part_id, c.total_id, c.share_of) for c in out if c.metric == "share"] == [
        (claims[1].id, claims[0].id, "requests.received_all"), (claims[3].id, claims[0].id, "requests.received_all")]
    # a rate of a count that is a part of nothing: the count itself, no total
    text = "收到网民留言71件,答复率100%。"
    claims = [replace(c, sentence=text) for c in (claim_at(text, "71", 71, "mailbox", unit="件"),
                                                  claim_at(text, "100", 100, "share", unit="%"))]
    (_, s) = link_shares(claims)
    assert (s.part_id, s.total_id, s.share_of) == (claims[0].id, None, "mailbox")
