"""The labelling config (nlp/review/label_config.py): generated from the metric label set, and
read back by the code."""

from __future__ import annotations

from conftest import ROOT
from nlp.metrics import LABELS
from nlp.review.label_config import LabelConfig, build_label_config


def test_committed_label_config_is_the_generated_one():
    committed = (ROOT / "annotations" / "label_config.xml").read_text(encoding="utf-8")
    assert committed == build_label_config(), "run: xxgk queue config"


def test_label_config_offers_every_metric_with_its_chinese_name():
    cfg = LabelConfig.load()
    assert set(cfg.metrics) == set(LABELS) - {"not_a_claim"}
    assert {"metric", "value", "not_a_claim", "comment"} <= set(cfg.controls)
    assert 'hint="本年新收申请数"' in cfg.xml
