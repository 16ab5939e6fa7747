"""The model room: the claim classifier, how it is trained and how it is scored.

What the claims stage needs (``nlp.claims`` imports only this front; an import-linter
contract and ``tests/test_structure.py`` hold it):

    load_model(spec)                          None (the model setting), "rules", a path, an estimator
    ClaimClassifier, RulesClassifier          the estimators (scikit-learn's contract)

The modules, in the order a model is made:

    rules.py        rule_label, weak_label, sentence_topic: the labelling functions
    features.py     ClaimFeatures: claim records → feature dicts
    estimators.py   ClaimClassifier, RulesClassifier
    persist.py      skops save/load with TRUSTED_TYPES, load_model, read_card
    dataset.py      read_report (the real stages), read_annotations, build_dataset (labels matched
                    to the stage's candidates), group_folds
    train.py        train_model, the regression guard, the model version
    evaluate.py     the stage on the hand labels under report-grouped CV (P/R/F1, calibration,
                    confidently wrong, review threshold, learning curve); the gold narrative
                    claims and the gold table cells
    card.py         write_card, card_markdown, reliability_svg

``dataset``, ``train``, ``evaluate`` and ``card`` read reports through the stages (and the
stages never import them); this ``__init__`` does not import them, so that the claims stage
can import the model without its trainer.
"""

from nlp.model.estimators import ClaimClassifier, RulesClassifier, rules_model
from nlp.model.features import ClaimFeatures
from nlp.model.persist import TRUSTED_TYPES, load_model, load_model_file, read_card, save_model
from nlp.model.rules import rule_label, sentence_topic, weak_label

__all__ = [
    "TRUSTED_TYPES", "ClaimClassifier", "ClaimFeatures", "RulesClassifier", "load_model", "load_model_file",
    "read_card", "rule_label", "rules_model", "save_model", "sentence_topic", "weak_label",
]
