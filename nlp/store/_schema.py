"""The store's tables: the schema version, the DDL of a new store, and the tables and
columns added since (created where missing when an older store opens).
"""

from __future__ import annotations


SCHEMA_VERSION = 3
"""1: the first store; 2: ``reports.pipeline_version`` (what a batch skips by); 3: no indexes of
``claims`` and ``findings`` by their ids (every query names the report, which their keys lead
with; an id is a hash, so in a large store each claim and finding written touched a page of
its own in those indexes: the bytes a report writes grew with the store)."""

ITEM_KINDS = ("claim", "finding")
DECISIONS = ("confirmed_defect", "false_alarm", "needs_follow_up")
REVIEW_STATUSES = ("mismatch", "ambiguous")
"""Claims in these statuses need a reviewer (as do claims the model marks ``needs_review``)."""
REVIEW_SEVERITIES = ("error", "warning")
"""Findings of these severities need a reviewer."""

_SCHEMA = f"""
CREATE TABLE schema_version (version INTEGER NOT NULL);

-- computed tables: replaced by save(), keyed by (sha256, reader_version)
CREATE TABLE reports (
    sha256 TEXT NOT NULL,
    reader_version TEXT NOT NULL,
    version_key TEXT NOT NULL,          -- reader_version made sortable as text
    source TEXT, title TEXT, agency TEXT, year INTEGER, template TEXT, script TEXT,
    format TEXT, model_version TEXT,
    checked_at TEXT NOT NULL,
    result_json TEXT NOT NULL,
    display_text TEXT NOT NULL,
    text TEXT NOT NULL,
    offsets BLOB NOT NULL,              -- uint32 array, offsets[i] = display index of text[i]
    pipeline_version TEXT,              -- reader, checks, model, settings (schema 2)
    PRIMARY KEY (sha256, reader_version)
);
CREATE TABLE claims (
    sha256 TEXT NOT NULL, reader_version TEXT NOT NULL, seq INTEGER NOT NULL,
    id TEXT NOT NULL, status TEXT NOT NULL, metric TEXT, value NUMERIC, table_value NUMERIC,
    number_text TEXT, unit TEXT, approx INTEGER, qualifier TEXT, confidence REAL,
    review_score REAL, needs_review INTEGER NOT NULL DEFAULT 0, to_review INTEGER NOT NULL,
    text TEXT, sentence TEXT, section TEXT, start INTEGER, stop INTEGER,
    display_start INTEGER, display_stop INTEGER, evidence TEXT, reading TEXT, source TEXT,
    PRIMARY KEY (sha256, reader_version, seq),
    FOREIGN KEY (sha256, reader_version) REFERENCES reports ON DELETE CASCADE
);
CREATE TABLE findings (
    sha256 TEXT NOT NULL, reader_version TEXT NOT NULL, seq INTEGER NOT NULL,
    id TEXT NOT NULL, check_name TEXT, kind TEXT, severity TEXT NOT NULL, message TEXT,
    evidence TEXT NOT NULL,             -- JSON
    to_review INTEGER NOT NULL,
    span_start INTEGER, span_stop INTEGER, display_start INTEGER, display_stop INTEGER,
    PRIMARY KEY (sha256, reader_version, seq),
    FOREIGN KEY (sha256, reader_version) REFERENCES reports ON DELETE CASCADE
);
CREATE TABLE cells (
    sha256 TEXT NOT NULL, reader_version TEXT NOT NULL, seq INTEGER NOT NULL,
    tbl TEXT NOT NULL, row_key TEXT NOT NULL, col_key TEXT NOT NULL,
    value NUMERIC, raw TEXT, start INTEGER, stop INTEGER, uncertain INTEGER, note TEXT,
    finding_ids TEXT NOT NULL,          -- JSON list of the findings whose evidence names it
    PRIMARY KEY (sha256, reader_version, seq),
    FOREIGN KEY (sha256, reader_version) REFERENCES reports ON DELETE CASCADE
);

-- human table: append-only, never touched by save()
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('claim', 'finding')),
    report_sha256 TEXT NOT NULL,
    decision TEXT NOT NULL
        CHECK (decision IN ('confirmed_defect', 'false_alarm', 'needs_follow_up')),
    comment TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX decisions_item ON decisions (report_sha256, item_kind, item_id);

-- views over the latest reader version of each report
CREATE VIEW latest AS
SELECT sha256, reader_version FROM (
    SELECT sha256, reader_version, ROW_NUMBER() OVER (
        PARTITION BY sha256 ORDER BY version_key DESC, checked_at DESC) AS rn
    FROM reports)
WHERE rn = 1;
CREATE VIEW latest_reports AS
SELECT r.* FROM reports r JOIN latest USING (sha256, reader_version);
CREATE VIEW latest_claims AS
SELECT c.* FROM claims c JOIN latest USING (sha256, reader_version);
CREATE VIEW latest_findings AS
SELECT f.* FROM findings f JOIN latest USING (sha256, reader_version);
CREATE VIEW current_decisions AS
SELECT id, item_id, item_kind, report_sha256, decision, comment, reviewer, created_at FROM (
    SELECT d.*, ROW_NUMBER() OVER (
        PARTITION BY report_sha256, item_kind, item_id ORDER BY id DESC) AS rn
    FROM decisions d)
WHERE rn = 1;
CREATE VIEW items AS
SELECT sha256, 'claim' AS item_kind, id AS item_id, to_review FROM latest_claims
UNION ALL
SELECT sha256, 'finding' AS item_kind, id AS item_id, to_review FROM latest_findings;

INSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION});
"""


_MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE reports ADD COLUMN pipeline_version TEXT",),
    3: ("DROP INDEX IF EXISTS claims_id", "DROP INDEX IF EXISTS findings_id"),
}
"""Schema version -> the statements that bring a store of the version before up to it."""

_ADDITIONS = """
-- human table: append-only, never touched by save(); the latest row per (report, target) applies
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_sha256 TEXT NOT NULL,
    target TEXT NOT NULL,               -- 'cell:<table>/<row>/<col>' or 'claim:<claim id>'
    kind TEXT NOT NULL CHECK (kind IN ('cell', 'claim')),
    tbl TEXT, row_key TEXT, col_key TEXT, claim_id TEXT,
    original_value NUMERIC,             -- what the reader read (a cell's value, a claim's value)
    original_raw TEXT,                  -- the cell or number as written in the report
    original_metric TEXT,               -- a claim's metric as the model gave it
    value NUMERIC,                      -- the reviewer's figure (NULL: a blank cell)
    metric TEXT,                        -- a claim's metric as the reviewer gives it
    withdrawn INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_target ON corrections (report_sha256, target);
CREATE VIEW IF NOT EXISTS current_corrections AS
SELECT id, report_sha256, target, kind, tbl, row_key, col_key, claim_id, original_value,
       original_raw, original_metric, value, metric, withdrawn, reason, reviewer, created_at
FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY report_sha256, target ORDER BY id DESC) AS rn
    FROM corrections c)
WHERE rn = 1 AND NOT withdrawn;
"""
"""Tables added after schema version 1, created where missing on every open (additive, so
stores written before them open unchanged)."""

_ADDED_COLUMNS = (
    ("reports", "document_json", "TEXT"),  # Document fields beyond the texts (source tables …)
    ("findings", "claim_id", "TEXT"),      # the claim a claim_mismatch/claim_ambiguous finding reports
)

_ADDITIVE_SCHEMA = (
    # human table: aliases of unit names, append-only; the latest row per alias is current,
    # an empty target removes the alias (nlp.units.identify reads them through aliases())
    """CREATE TABLE IF NOT EXISTS unit_aliases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alias TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS unit_aliases_alias ON unit_aliases (alias)",
    # the findings of one check (the cross-unit ones a re-check recomputes: reports_citing)
    "CREATE INDEX IF NOT EXISTS findings_check ON findings (check_name)",
    # computed tables: the cross-unit index of each year's reports (nlp.history.History.peers),
    # derived from the latest reports and rebuilt when its version (the fingerprint's code, the
    # unit aliases) changes: each distinct fingerprint of a year (sampled shingles; copies of one
    # narrative share one, as many members as reports hold it), the fingerprints holding a
    # shingle, and each report's unit and fingerprint (NULL: not compared, no unit or a short
    # narrative)
    "CREATE TABLE IF NOT EXISTS peer_version (version TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS peer_prints (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        digest BLOB NOT NULL,
        size INTEGER NOT NULL,
        fingerprint BLOB NOT NULL,
        members INTEGER NOT NULL,
        UNIQUE (year, digest)
    )""",
    """CREATE TABLE IF NOT EXISTS peer_postings (
        year INTEGER NOT NULL, shingle INTEGER NOT NULL, print INTEGER NOT NULL,
        PRIMARY KEY (year, shingle, print)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS peer_entries (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        reader_version TEXT NOT NULL,
        year INTEGER NOT NULL,
        unit_key TEXT,
        print INTEGER
    )""",
    "CREATE INDEX IF NOT EXISTS peer_entries_unit ON peer_entries (year, unit_key, print)",
    "CREATE INDEX IF NOT EXISTS peer_entries_print ON peer_entries (print, unit_key)",
)
"""Tables added after schema version 1, created when missing (older stores gain them on open)."""
