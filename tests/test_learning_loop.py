"""The learning loop end to end, against the real Label Studio server (no mocks).

check the bundled seeds and ``data/corpus/`` with the shipped model into a SQLite store → push
the claims to review to the server → ``xxgk queue suggest N --from POOL`` pushes the unlabelled
numbers of report openings nobody labelled whose labels would teach most → annotate some of
both through the API as an annotator would (a corrected metric for several, "not a claim" for
one) → pull → ``xxgk model train --out TMP --annotations annotations/ --annotations TMP --force``
(the hand-labelled set and the pulled answers, read alike) → the retrained model gives those
very numbers the annotators' labels, and its card counts the annotations.

The annotator's corrections are chosen by a rule, not written down for these reports: the
claims to review the model labelled with the least confidence, each corrected to the model's own runner-up metric
(a label it does not predict for that claim, and the likeliest one a reviewer would pick
instead), the next one marked not a claim. Which answer is right does not matter here; what
matters is that the retrained model learned what the person said.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from nlp import review
from nlp.config import PATHS
from nlp.review import annotations
from nlp.review.label_config import METRIC, NOT_A_CLAIM, LabelConfig
from nlp.claims import claim_records, extract_claims, load_model
from nlp.model.card import CARD_JSON, CARD_MD
from nlp.model.dataset import read_report, report_paths
from nlp.review.suggest import suggest
from nlp.pipeline import Checker
from nlp.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.slow]

N_CORRECTED = 4  # + one marked not a claim
N_SUGGESTED = 6


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _choice_value(cfg: LabelConfig, control: str) -> str:
    """The (only) choice a Choices control of the labelling config offers."""
    (el,) = [e for e in ET.fromstring(cfg.xml).iter("Choices") if e.get("name") == control]
    (choice,) = el.iter("Choice")
    return choice.get("value")


def _choices(cfg: LabelConfig, control: str, value: str) -> dict:
    return {"from_name": control, "to_name": cfg.to_name, "type": cfg.controls[control].lower(),
            "value": {"choices": [value]}}


def test_annotations_pulled_from_label_studio_teach_the_retrained_model(ls_server, ls_client, tmp_path):
    shipped = ROOT / "models"
    before = {p.name: _digest(p) for p in sorted(shipped.iterdir()) if p.is_file()}

    # 1. check every report the trainer reads with the shipped model, into a fresh store
    checker = Checker()
    db = tmp_path / "checks.sqlite"
    results = {}
    with Store(db) as store:
        for path in report_paths(PATHS.samples, PATHS.corpus):
            result = checker.check(path)
            store.save(result)
            results[result.document.sha256] = result
    assert len(results) >= 5

    # 2. push the claims to review to the real server: one task per item
    items = review.items_from_store(db)
    assert items
    title = f"learning loop {uuid.uuid4().hex[:10]}"
    pushed = review.push(items, ls_client, project_title=title)
    assert pushed.created == len({it.item_id for it in items})
    tasks = list(ls_client.tasks.list(project=pushed.project_id, fields="all", page_size=1000))
    per_item = Counter(t.data["item_id"] for t in tasks)
    assert set(per_item) == {it.item_id for it in items} and set(per_item.values()) == {1}
    task_of = {t.data["item_id"]: t for t in tasks}

    # 2b. queue suggest: the openings nobody labelled (annotations/agreement/unlabelled-pool.json),
    #     the numbers whose labels would teach most, pushed to the same project, in that order
    pool = tmp_path / "pool"
    pool.mkdir()
    for rid in json.loads((ROOT / "annotations" / "agreement" / "unlabelled-pool.json").read_text("utf-8"))[:12]:
        shutil.copy(PATHS.data / "pages" / f"{rid}.txt", pool)
    run = subprocess.run([sys.executable, "-m", "nlp", "queue", "suggest", str(N_SUGGESTED), "--from", str(pool),
                          "--project", title, "--port", str(ls_server[1].port), "--data-dir", str(ls_server[0].data_dir)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert f"{N_SUGGESTED} new task(s)" in run.stdout
    suggested = suggest(pool, N_SUGGESTED)
    tasks = list(ls_client.tasks.list(project=pushed.project_id, fields="all", page_size=1000))
    task_of = {t.data["item_id"]: t for t in tasks}
    assert {it.item_id for it in suggested} <= set(task_of)
    scores = [task_of[it.item_id].predictions[0] for it in suggested]
    scores = [(p if isinstance(p, dict) else p.dict())["score"] for p in scores]
    assert scores == sorted(scores), "the queue's order (lowest score first) is the order of the suggestions"

    # 3. the annotator: the most doubtful claims the model labelled (not a zero in words, whose
    #    metric is read from the words), each corrected to the model's runner-up metric; the
    #    next one is not a claim
    cfg = LabelConfig.load()
    assert {METRIC: "Choices", NOT_A_CLAIM: "Choices"}.items() <= cfg.controls.items()
    nac_choice = _choice_value(cfg, NOT_A_CLAIM)
    picks: list[tuple[review.QueueItem, str]] = []  # (item, the annotator's label)
    def doubt(i: review.QueueItem) -> tuple:
        """The model's own doubt first (its confidence), not the queue's score, which a status
        lowers too (an ambiguous or mismatched claim the model is sure of)."""
        claim = next((c for c in results[i.report_sha256].claims if c.id == i.claim_id), None)
        return (claim.confidence if claim is not None and claim.confidence is not None else 2.0, i.item_id)

    for it in sorted(items, key=doubt):
        result = results[it.report_sha256]
        claim = next((c for c in result.claims if c.id == it.claim_id), None)
        if claim is None or claim.source != "model":
            continue
        records = [r for r in claim_records(result.document, result.sections, result.tables)
                   if r["kind"] == "quantity" and (r["num_start"], r["num_end"]) == (it.num_start, it.num_end)]
        if len(records) != 1:
            continue
        if len(picks) == N_CORRECTED:
            picks.append((it, "not_a_claim"))
            break
        proba = checker.model.predict_proba(records)[0]
        ranked = [str(checker.model.classes_[j]) for j in proba.argsort()[::-1]]
        picks.append((it, next(m for m in ranked if m != it.metric and m in cfg.metrics)))
    assert len(picks) == N_CORRECTED + 1, "too few claims to review in the seeds and the corpus"
    # and the first two suggestions, each given the model's runner-up metric
    pool_records = {}
    for it in suggested[:2]:
        rep = read_report(pool / Path(it.source).name)
        (rec,) = [r for r in claim_records(rep.doc, rep.sections, rep.tables)
                  if r["kind"] == "quantity" and (r["num_start"], r["num_end"]) == (it.num_start, it.num_end)]
        pool_records[it.item_id] = rec
        proba = checker.model.predict_proba([rec])[0]
        ranked = [str(checker.model.classes_[j]) for j in proba.argsort()[::-1]]
        picks.append((it, next(m for m in ranked if m != it.metric and m in cfg.metrics)))
    assert all(label != it.metric for it, label in picks)

    for it, label in picks:
        if label == "not_a_claim":
            result = [_choices(cfg, NOT_A_CLAIM, nac_choice)]
        else:
            result = [_choices(cfg, METRIC, label)]
        ls_client.annotations.create(id=task_of[it.item_id].id, result=result)

    # 4. pull them
    ann_dir = tmp_path / "annotations"
    pulled = review.pull(ls_client, ann_dir, project_title=title)
    assert pulled.added == len(picks)
    records = {a.item_id: a.to_dict() for a in annotations.latest(annotations.read(ann_dir))}
    assert set(records) == {it.item_id for it, _ in picks}
    for it, label in picks:
        r = records[it.item_id]
        assert (r["report_sha256"], r["num_start"], r["num_end"]) == (it.report_sha256, it.num_start, it.num_end)
        assert r["predicted_metric"] == it.metric
        if label == "not_a_claim":
            assert r["not_a_claim"] is True
        else:
            assert (r["metric"], r["not_a_claim"]) == (label, False)

    # 5. retrain with the project's CLI into a temporary folder
    model_dir = tmp_path / "model"
    run = subprocess.run(
        [sys.executable, "-m", "nlp", "model", "train", "--out", str(model_dir), "--annotations", str(PATHS.annotations),
         "--annotations", str(ann_dir), "--force", "--folds", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (model_dir / PATHS.model_file.name).exists()
    after = {p.name: _digest(p) for p in sorted(shipped.iterdir()) if p.is_file()}
    assert after == before, "training into a temporary folder changed the shipped model"

    card = json.loads((model_dir / CARD_JSON).read_text("utf-8"))
    shipped_card = json.loads((shipped / CARD_JSON).read_text("utf-8"))
    # the hand set and the pulled answers, read alike; each answer is the current label of its number
    assert card["data"]["annotations_read"] == shipped_card["data"]["annotations_read"] + len(picks)
    assert card["data"]["by_source"]["annotation"] == len(picks)
    assert f"read {card['data']['annotations_read']}" in (model_dir / CARD_MD).read_text("utf-8")

    # 6. the retrained model gives those claims the annotators' labels; the shipped one did not
    retrained = load_model(model_dir / PATHS.model_file.name)
    assert retrained.version_ == card["version"] != checker.model_version
    for it, label in picks:
        if it.item_id in pool_records:  # a suggestion: the number read in its opening
            rec = pool_records[it.item_id]
            assert (str(checker.model.predict([rec])[0]), str(retrained.predict([rec])[0])) == (it.metric, label)
            continue
        result = results[it.report_sha256]
        args = (result.document, result.sections, result.tables)
        span = (it.num_start, it.num_end)
        old = [c for c in extract_claims(*args, model=checker.model) if (c.num_start, c.num_end) == span]
        new = [c for c in extract_claims(*args, model=retrained) if (c.num_start, c.num_end) == span]
        assert [c.metric for c in old] == [it.metric]
        if label == "not_a_claim":
            assert new == [], f"{it.text!r} is still a claim: {[c.metric for c in new]}"
            kept = [c for c in extract_claims(*args, model=retrained, keep_not_claims=True)
                    if (c.num_start, c.num_end) == span]
            assert [c.metric for c in kept] == ["not_a_claim"]
        else:
            assert [(c.id, c.metric) for c in new] == [(it.claim_id, label)], f"{it.text!r}: wanted {label}"
