"""Models on disk: skops files (never pickle) holding only trusted types, and the model card.

    save_model(model, path)          write a skops file
    load_model_file(path)            read one, refusing any type not in TRUSTED_TYPES
    load_model(spec)                 the claim model of a spec: None (the model setting), "rules",
                                     a path, or a fitted estimator
    read_card(model_dir)             the card JSON beside a model
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional, Union

from nlp.config import settings
from nlp.errors import Errors, XxgkError
from nlp.model.estimators import rules_model

TRUSTED_TYPES = [
    "nlp.model.estimators.ClaimClassifier",
    "nlp.model.features.ClaimFeatures",
    "nlp.model.estimators.RulesClassifier",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "numpy.str_",
    "builtins.float",
    "builtins.int",
]
"""The only types a model file may hold; anything else is refused on load."""


def save_model(model: Any, path: Union[str, Path]) -> Path:
    """Write ``model`` to ``path`` with skops (``.skops``)."""
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path)
    return path


def load_model_file(path: Union[str, Path]) -> Any:
    """Load a skops model, trusting only ``TRUSTED_TYPES``.

    Raises ``XxgkError``: E013 when the file is missing (the message names the fix: train
    one, or ask for the rules), E010 when it is unreadable or holds other types.
    """
    import skops.io as sio

    path = Path(path)
    if not path.exists():
        raise XxgkError(Errors.E013, path=path)
    try:
        untrusted = sio.get_untrusted_types(file=path)
        unknown = [t for t in untrusted if t not in TRUSTED_TYPES]
        if unknown:
            raise XxgkError(Errors.E010, path=path, detail=f"untrusted types {unknown}")
        return sio.load(path, trusted=[t for t in untrusted])
    except XxgkError:
        raise
    except Exception as e:  # a damaged or foreign file
        raise XxgkError(Errors.E010, path=path, detail=f"{type(e).__name__}: {e}") from e


def read_card(model_dir: Union[str, Path]) -> Optional[dict[str, Any]]:
    """The model card JSON of ``model_dir`` (``model_card.json``), or None."""
    p = Path(model_dir) / "model_card.json"
    return json.loads(p.read_text("utf-8")) if p.exists() else None


def load_model(spec: Union[None, str, Path, Any] = None) -> Any:
    """The claim model for a spec: ``None`` = the ``model`` setting (the shipped
    ``models/claim_model.skops``); ``"rules"`` = the rules baseline; a path = that skops file;
    a fitted estimator is returned as is.

    A model file that does not exist is ``XxgkError`` E013, which names the fix (train one
    with ``xxgk model train``, or pass ``--model rules``): never a silent fall-back to the
    rules."""
    if spec is None:
        spec = settings().model
    if isinstance(spec, str) and spec == "rules":
        return rules_model()
    if isinstance(spec, (str, Path)):
        return load_model_file(spec)
    return spec
