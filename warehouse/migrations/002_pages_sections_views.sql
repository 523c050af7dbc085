-- 002: page and section maps of every document version, and the analyst views
-- claims_with_documents, claims_by_country_year and report_vs_news.
-- Adds only; nothing of 001 changes, so a warehouse made by 001 keeps all its rows.

-- One row per page of a PDF document version (HTML and TXT have none).
CREATE TABLE pages (
    document_id  VARCHAR NOT NULL,      -- documents.document_id (doc_key '@' sha256 prefix)
    page         INTEGER NOT NULL,      -- 1-based page number, as claims.page
    start_offset INTEGER NOT NULL,      -- the page covers text[start_offset:end_offset] of the document text
    end_offset   INTEGER NOT NULL,
    PRIMARY KEY (document_id, page)
);

-- One row per chapter/section span of a report (news pages have none).
CREATE TABLE sections (
    document_id  VARCHAR NOT NULL,      -- documents.document_id
    section_no   INTEGER NOT NULL,      -- 0, 1, … in text order
    chapter      VARCHAR,               -- the report chapter: a country or organisation ('Republic of Korea')
    section      VARCHAR,               -- the heading path ('Government Procurement > Defense Offsets'); NULL for a chapter's title span
    start_offset INTEGER NOT NULL,      -- the section covers text[start_offset:end_offset] of the document text
    end_offset   INTEGER NOT NULL,
    page         INTEGER,               -- the page where it starts (PDF), else NULL
    end_page     INTEGER,               -- the page where it ends (PDF), else NULL
    PRIMARY KEY (document_id, section_no)
);

-- Every claim of the newest document versions, with the document it comes from.
-- `tradeclaims export` writes this view.
CREATE VIEW claims_with_documents AS
SELECT
    c.*,
    d.doc_type, d.title AS document, d.publisher, d.published, d.report_year,
    coalesce(d.canonical_url, d.source_url) AS url
FROM claims c JOIN latest_documents d USING (document_id);

-- How many claims each country (claims.subject) gets per year, by topic and kind.
-- year: the document's publication year, else its report year.
CREATE VIEW claims_by_country_year AS
SELECT
    subject AS country,
    coalesce(year(published), report_year) AS year,
    doc_type,
    topic,
    kind,
    count(*) AS claims,
    count(DISTINCT document_id) AS documents
FROM claims_with_documents
WHERE subject IS NOT NULL
GROUP BY ALL;

-- What the USTR report says beside what the news says: each pair of a report claim
-- and a news claim about the same subject and topic, of the same kind and unit.
-- same_value: both state the same value (or the same range).
CREATE VIEW report_vs_news AS
WITH cd AS (
    SELECT * FROM claims_with_documents WHERE subject IS NOT NULL AND topic IS NOT NULL
)
SELECT
    r.subject, r.topic, r.kind, r.unit,
    r.text AS report_text, r.value AS report_value, r.value_num AS report_value_num,
    r.low_num AS report_low_num, r.high_num AS report_high_num, r.qualifier AS report_qualifier,
    r.condition AS report_condition, r.period AS report_period,
    r.document AS report_document, r.report_year, r.page AS report_page, r.section AS report_section,
    r.sentence AS report_sentence,
    n.text AS news_text, n.value AS news_value, n.value_num AS news_value_num,
    n.low_num AS news_low_num, n.high_num AS news_high_num, n.qualifier AS news_qualifier,
    n.condition AS news_condition, n.period AS news_period,
    n.document AS news_document, n.publisher AS news_publisher, n.published AS news_published,
    n.url AS news_url, n.sentence AS news_sentence,
    (r.value IS NOT DISTINCT FROM n.value AND r.low IS NOT DISTINCT FROM n.low
        AND r.high IS NOT DISTINCT FROM n.high) AS same_value,
    r.claim_id AS report_claim_id, n.claim_id AS news_claim_id
FROM cd r JOIN cd n
  ON r.subject = n.subject AND r.topic = n.topic AND r.kind = n.kind
 AND r.unit IS NOT DISTINCT FROM n.unit
WHERE r.doc_type = 'report' AND n.doc_type = 'news';
