-- 003: the same bytes published under more than one source (a news article syndicated
-- at two URLs, a report mirrored on two sites). The raw store keeps the content once
-- (it is addressed by sha256); this view shows which documents share it.

CREATE VIEW same_content AS
SELECT
    d.sha256,                                   -- the shared content
    d.doc_key,                                  -- one source holding it
    d.document_id,
    coalesce(d.canonical_url, d.source_url) AS url,
    count(*) OVER (PARTITION BY d.sha256) AS sources  -- how many sources hold the same bytes
FROM latest_documents d
WHERE d.sha256 IN (
    SELECT sha256 FROM latest_documents GROUP BY sha256 HAVING count(DISTINCT doc_key) > 1
);
