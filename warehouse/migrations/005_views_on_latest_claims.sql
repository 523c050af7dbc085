-- 005: claims_with_documents (what `export` writes) on latest_claims, so that syndicated
-- news is counted once in it and in every view built on it. 002 built it on `claims`
-- joined to latest_documents, and 004 fixed latest_claims only: an article held by two
-- news sources (the same bytes at two URLs) was still exported, counted per country and
-- year, and compared with the reports twice.
-- claims_by_country_year and report_vs_news read claims_with_documents by name (DuckDB
-- binds a view's query when it is used), so replacing this one view corrects all three.

CREATE OR REPLACE VIEW claims_with_documents AS
SELECT
    c.*,
    d.doc_type, d.title AS document, d.publisher, d.published, d.report_year,
    coalesce(d.canonical_url, d.source_url) AS url
FROM latest_claims c JOIN latest_documents d USING (document_id);
