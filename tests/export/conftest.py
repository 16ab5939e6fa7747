"""The exports' test store: one report with a decision on a claim and one on a finding."""

from __future__ import annotations

import pytest

from nlp.store import Store
from result_factory import make_result


@pytest.fixture
def store():
    s = Store(":memory:")
    sha = s.save(make_result())
    claim = next(c for c in s.claims(sha) if c["metric"] == "litigation.total")
    s.record_decision(claim["id"], "claim", sha, "confirmed_defect", "诉讼应为13件", "李审")
    finding = s.findings(sha)[0]
    s.record_decision(finding["id"], "finding", sha, "false_alarm", "原表如此", "王审")
    return s
