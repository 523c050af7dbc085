-- 004: the extractor version on each document row, and syndicated news counted once.

-- Which rules made this document's claims. A document whose claims were made by other
-- rules (or that has no claims: nothing else records the version then) is extracted
-- and loaded again.
ALTER TABLE documents ADD COLUMN extractor_version VARCHAR;
UPDATE documents SET extractor_version = (
    SELECT max(c.extractor_version) FROM claims c WHERE c.document_id = documents.document_id);

-- The newest version of each document, and its claims. A news article whose exact bytes
-- another news source also holds (syndication, a mirror) keeps its claims in `claims`, but
-- only the first source (by doc_key) contributes them here, so no claim is counted twice.
CREATE OR REPLACE VIEW latest_claims AS
SELECT c.* FROM claims c JOIN latest_documents d USING (document_id)
WHERE NOT (d.doc_type = 'news' AND EXISTS (
    SELECT 1 FROM latest_documents o
    WHERE o.sha256 = d.sha256 AND o.doc_type = 'news' AND o.doc_key < d.doc_key));
