-- 001: the first schema. Every later change is a new numbered file; never edit this one.

CREATE TABLE documents (
    document_id   VARCHAR PRIMARY KEY,  -- doc_key '@' first 16 hex digits of sha256: one row per version
    doc_key       VARCHAR NOT NULL,     -- the registry id (the Dagster partition key)
    version       INTEGER NOT NULL,     -- 1, 2, … in the order versions were loaded
    sha256        VARCHAR NOT NULL,     -- of the raw bytes
    doc_type      VARCHAR,              -- 'report' | 'news'
    source_url    VARCHAR,              -- where it was fetched from
    canonical_url VARCHAR,              -- <link rel=canonical> for news
    title         VARCHAR,
    publisher     VARCHAR,
    published     DATE,                 -- publication date (news) or report date when known
    report_year   INTEGER,              -- NTE report year, or the news year
    media_type    VARCHAR,              -- 'pdf' | 'html' | 'txt'
    pages         INTEGER,              -- page count (PDF), else NULL
    chars         INTEGER,              -- length of the extracted text
    loaded_at     TIMESTAMP NOT NULL,
    run_id        VARCHAR
);

CREATE TABLE claims (
    claim_id          VARCHAR PRIMARY KEY,  -- document_id ':' start ':' end ':' kind
    document_id       VARCHAR NOT NULL,
    doc_key           VARCHAR NOT NULL,
    source            VARCHAR,              -- the path or URL the document came from
    kind              VARCHAR NOT NULL,     -- 'money' | 'percent' | 'date' | 'period'
    text              VARCHAR NOT NULL,     -- the span as it stands in the document text
    start_offset      INTEGER NOT NULL,     -- character offsets into the document text
    end_offset        INTEGER NOT NULL,
    page              INTEGER,              -- 1-based page (PDF)
    sentence          VARCHAR,
    value             VARCHAR,              -- normalized value as text (number, ISO date, ISO interval)
    value_num         DOUBLE,               -- the same as a number for money and percent
    low               VARCHAR,              -- range / period ends as text
    high              VARCHAR,
    low_num           DOUBLE,               -- range ends as numbers (money, percent)
    high_num          DOUBLE,
    unit              VARCHAR,              -- ISO 4217 code, 'percent', 'percentage_points', 'fiscal_year'
    qualifier         VARCHAR NOT NULL,     -- exact | approx | at_least | more_than | at_most | less_than | range
    qualifier_text    VARCHAR,
    topic             VARCHAR,              -- offset | tariff | procurement | trade_value | other
    subject           VARCHAR,              -- ISO 3166 alpha-3 code or organisation
    condition         VARCHAR,
    period            VARCHAR,              -- year or ISO interval that qualifies the value
    rule              VARCHAR NOT NULL,     -- id of the pattern that fired
    chapter           VARCHAR,              -- report chapter (country) holding the claim
    section           VARCHAR,              -- report section holding the claim
    extractor_version VARCHAR NOT NULL,
    run_id            VARCHAR
);

CREATE TABLE fetches (
    url           VARCHAR NOT NULL,
    doc_key       VARCHAR,
    final_url     VARCHAR,
    status        INTEGER,
    ok            BOOLEAN,
    not_modified  BOOLEAN,
    etag          VARCHAR,
    last_modified VARCHAR,
    sha256        VARCHAR,
    bytes         BIGINT,
    media_type    VARCHAR,
    attempts      INTEGER,
    fetched_at    TIMESTAMP,
    error         VARCHAR,
    run_id        VARCHAR,
    PRIMARY KEY (url, fetched_at)
);

CREATE TABLE errors (
    doc_key     VARCHAR,              -- the document, when known
    url         VARCHAR,
    stage       VARCHAR NOT NULL,     -- 'fetch' | 'parse' | 'extract' | 'load'
    message     VARCHAR NOT NULL,     -- names the input and the problem
    occurred_at TIMESTAMP NOT NULL,
    run_id      VARCHAR
);

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    registry    VARCHAR,
    started_at  TIMESTAMP,
    finished_at TIMESTAMP,
    documents   INTEGER,
    claims      INTEGER,
    errors      INTEGER
);

-- Only the newest loaded version of each document.
CREATE VIEW latest_documents AS
SELECT * FROM documents d
WHERE d.version = (SELECT max(version) FROM documents x WHERE x.doc_key = d.doc_key);

CREATE VIEW latest_claims AS
SELECT c.* FROM claims c JOIN latest_documents d USING (document_id);

-- The view an analyst queries first: every offset claim with its evidence.
CREATE VIEW offset_claims AS
SELECT
    c.subject AS country,
    c.kind, c.text, c.value, c.value_num, c.low, c.high, c.unit, c.qualifier, c.qualifier_text,
    c.condition, c.period, d.title AS document, d.doc_type, c.page, c.sentence,
    coalesce(d.canonical_url, d.source_url) AS url, c.document_id, c.start_offset, c.end_offset
FROM latest_claims c JOIN latest_documents d USING (document_id)
WHERE c.topic = 'offset';
