-- 006: one errors row per failing document, and one rule for identical content.

-- `errors` gained a row per run for a document that kept failing, though it is meant
-- to list failing documents. Keep one row per document: its latest stage, message,
-- url and run, when the failure was first and last seen, and how many runs saw it.
-- The old rows of a document fold into one (attempts = their count).
CREATE TABLE errors_per_document (
    doc_key     VARCHAR,              -- the document, when known
    url         VARCHAR,
    stage       VARCHAR NOT NULL,     -- 'fetch' | 'parse' | 'extract' | 'load' (the latest)
    message     VARCHAR NOT NULL,     -- names the input and the problem (the latest)
    occurred_at TIMESTAMP NOT NULL,   -- when the latest message was recorded (= last_seen)
    run_id      VARCHAR,              -- the last run that saw the failure
    first_seen  TIMESTAMP NOT NULL,
    last_seen   TIMESTAMP NOT NULL,
    attempts    INTEGER NOT NULL      -- runs that saw it fail
);
INSERT INTO errors_per_document
SELECT doc_key, arg_max(url, occurred_at), arg_max(stage, occurred_at), arg_max(message, occurred_at),
       max(occurred_at), arg_max(run_id, occurred_at), min(occurred_at), max(occurred_at),
       count(DISTINCT coalesce(run_id, '')) 
FROM errors WHERE doc_key IS NOT NULL GROUP BY doc_key
UNION ALL
SELECT doc_key, url, stage, message, occurred_at, run_id, occurred_at, occurred_at, 1
FROM errors WHERE doc_key IS NULL;
DROP TABLE errors;
ALTER TABLE errors_per_document RENAME TO errors;

-- Content held by more than one source (same sha256: a syndicated article, a mirrored
-- report) is counted once, under the first source by doc_key, whatever its type; 004
-- applied this to news only, so a report PDF mirrored at three URLs counted three times.
CREATE OR REPLACE VIEW latest_claims AS
SELECT c.* FROM claims c JOIN latest_documents d USING (document_id)
WHERE NOT EXISTS (
    SELECT 1 FROM latest_documents o
    WHERE o.sha256 = d.sha256 AND o.doc_key < d.doc_key);
