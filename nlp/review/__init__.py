"""The review room: people label claims in Label Studio, and their labels come back as
annotation records that training reads.

    annotations.py    Annotation, read(), append(), latest(): the one annotation contract
    label_config.py   the labelling XML, generated from nlp.metrics.LABELS; LabelConfig
    items.py          QueueItem: the claims of a check result that need a person; the task
                      and the prediction each becomes
    _retry.py         RetryPolicy: retries with backoff, one E020 line when the server is down
    queue.py          push (idempotent, batched) and pull (append-only annotations.jsonl)
    suggest.py        active learning: the unlabelled numbers whose labels would teach most
    server.py         the project's own Label Studio: install, start, stop, status, connect
    backend.py        the claim model as Label Studio's ML backend (ClaimsBackend)

The Label Studio SDK is imported in this package only (an import-linter contract), and only
inside the functions that call the server. This ``__init__`` imports neither ``server`` nor
``backend`` (the backend loads the claims pipeline): import them as modules.
"""

from nlp.review import annotations
from nlp.review._retry import RetryPolicy
from nlp.review.annotations import ANNOTATIONS_FILE, Annotation
from nlp.review.items import (QueueItem, items_from_jsonl, items_from_result, items_from_store, prediction, priority,
                              queue_score, task_payload)
from nlp.review.label_config import LabelConfig, build_label_config, write_label_config
from nlp.review.queue import BATCH_SIZE, PullReport, PushReport, find_project, pull, push

__all__ = [
    "ANNOTATIONS_FILE", "BATCH_SIZE", "Annotation", "LabelConfig", "PullReport", "PushReport", "QueueItem",
    "RetryPolicy", "annotations", "build_label_config", "find_project", "items_from_jsonl", "items_from_result",
    "items_from_store", "prediction", "priority", "pull", "push", "queue_score", "task_payload", "write_label_config",
]
