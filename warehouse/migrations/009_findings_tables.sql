-- 009: findings as tables, and measure-defining words.
--
-- edition_changes and claim_checks become TABLES with the columns the views of migration
-- 007 had (plus chapter_subject and news_document_id, what a refresh deletes by), filled by
-- the warehouse writer when it loads documents (warehouse/findings.py, refresh): a reader's
-- query reads rows, it no longer pairs claims (about 2 s per country on 1M claims before).
-- The SQL that computes them is the table macros edition_changes_of(chapters) and
-- claim_checks_of(subjects, documents): the rows of some chapters, subjects and news
-- documents, so a load recomputes only what it can change.
--
-- Frames now name countries by code with the partner marked (to_KOR), and
-- claims.measure_terms lists a frame's measure-defining words ('flow=export goods=good
-- partner=to_KOR'; measure_bits packs them, warehouse/frames.py): a news figure is never
-- read against a report claim whose measure words of one class differ
-- (arms vs goods exports, exports vs imports, to vs from Korea). Every money and percent
-- claim's frame is derived again (warehouse.store.fill_measures, right after this
-- migration): the claim_key of a claim loaded before may change, so an alert raised before
-- may be raised once more under its new key.

ALTER TABLE claims ADD COLUMN measure_terms VARCHAR;
ALTER TABLE claims ADD COLUMN measure_bits BIGINT;
UPDATE claims SET claim_frame = NULL WHERE kind IN ('money', 'percent');

-- Whether two claims' measure terms differ: some class has words on both sides but none in
-- common. Read from the terms packed into bit fields (claims.measure_bits, warehouse/frames.py:
-- three fields of 21 bits, one per class), so that millions of pairs cost integer operations.
CREATE MACRO bit_field_differs(a, b, shift) AS
    (a >> shift) & 2097151 <> 0 AND (b >> shift) & 2097151 <> 0 AND ((a & b) >> shift) & 2097151 = 0;
CREATE MACRO measure_bits_differ(a, b) AS coalesce(
    bit_field_differs(a, b, 0) OR bit_field_differs(a, b, 21) OR bit_field_differs(a, b, 42), false);

-- Whether a news claim and a report claim describe the same measure (the candidates of
-- claim_checks): their frames share at least two words and frame_match_threshold() of all
-- their words (Jaccard), or their conditions share a word, or they state the same reference
-- period; and no class of their measure terms differs. Given as counts, so that
-- claim_checks_of can count shared words by joining word lists (one row per word) instead of
-- intersecting two lists per pair: frame words shared, their Jaccard, condition words
-- shared, the same period?, and the two claims' measure bits.
CREATE MACRO describes_same_measure(frame_shared, frame_similarity, condition_shared, same_period, a_bits, b_bits) AS
    ((frame_shared >= 2 AND frame_similarity >= frame_match_threshold()) OR condition_shared > 0
     OR coalesce(same_period, false))
    AND NOT measure_bits_differ(a_bits, b_bits);
-- The Jaccard of two word sets from their sizes and the words they share; 0 when either is empty.
CREATE MACRO shared_similarity(shared, a_size, b_size) AS CASE
    WHEN coalesce(shared, 0) = 0 OR a_size = 0 OR b_size = 0 THEN 0.0 ELSE shared / (a_size + b_size - shared) END;

-- report_measures as in 007, written so that a filter on a claim column (subject,
-- chapter_subject) reaches the claims scan: the edition each chapter and year is read from
-- (the first report by doc_key) is found by a separate, narrow read of the same claims,
-- instead of a CTE both sides share (which DuckDB materializes whole before any filter).
CREATE OR REPLACE VIEW report_measures AS
SELECT c.*, d.report_year, d.title AS document
FROM claims c JOIN latest_documents d USING (document_id)
WHERE d.doc_type = 'report' AND d.report_year IS NOT NULL AND c.claim_key IS NOT NULL
  AND (c.chapter_subject, d.report_year, d.doc_key) IN (
      SELECT k.chapter_subject, e.report_year, min(e.doc_key)
      FROM claims k JOIN latest_documents e USING (document_id)
      WHERE e.doc_type = 'report' AND e.report_year IS NOT NULL AND k.claim_key IS NOT NULL
      GROUP BY ALL);

DROP VIEW claim_checks;
DROP VIEW edition_changes;

-- ---------------------------------------------------------------------------------------
-- edition_changes of the report chapters named by their chapter subject (claims.chapter_subject),
-- as migration 007 defined the view: one row per measure between consecutive editions.
CREATE MACRO edition_changes_of(chapters) AS TABLE
WITH measures AS MATERIALIZED (
    SELECT m.*, e.previous_year, e.next_year
    FROM report_measures m JOIN report_editions e USING (chapter_subject, report_year)
    WHERE m.chapter_subject IN (SELECT unnest(chapters)) AND e.chapter_subject IN (SELECT unnest(chapters))
),
matched AS (
    SELECT o.subject AS o_subject, o.chapter AS o_chapter, o.section AS o_section, o.topic AS o_topic,
           o.kind AS o_kind, o.unit AS o_unit, o.claim_key AS o_claim_key, o.report_year AS o_year,
           o.next_year AS o_next_year, o.claim_id AS o_claim_id, o.text AS o_text,
           coalesce(o.value_num, o.low_num) AS o_value_num, o.sentence AS o_sentence,
           o.chapter_subject AS o_chapter_subject,
           n.subject AS n_subject, n.chapter AS n_chapter, n.section AS n_section, n.topic AS n_topic,
           n.kind AS n_kind, n.unit AS n_unit, n.claim_key AS n_claim_key, n.report_year AS n_year,
           n.previous_year AS n_previous_year, n.claim_id AS n_claim_id, n.text AS n_text,
           coalesce(n.value_num, n.low_num) AS n_value_num, n.sentence AS n_sentence,
           n.chapter_subject AS n_chapter_subject,
           o.lo_num = n.lo_num AND o.hi_num = n.hi_num AND o.lo_open = n.lo_open AND o.hi_open = n.hi_open
             AND o.period IS NOT DISTINCT FROM n.period AS same
    FROM (SELECT * FROM measures WHERE next_year IS NOT NULL) o
    FULL OUTER JOIN (SELECT * FROM measures WHERE previous_year IS NOT NULL) n
      ON n.chapter_subject = o.chapter_subject AND n.report_year = o.next_year
     AND n.claim_key = o.claim_key AND n.key_occurrence = o.key_occurrence
)
SELECT coalesce(n_subject, o_subject) AS subject, coalesce(n_chapter, o_chapter) AS chapter,
       coalesce(n_section, o_section) AS section, coalesce(n_topic, o_topic) AS topic,
       coalesce(n_kind, o_kind) AS kind, coalesce(n_unit, o_unit) AS unit,
       coalesce(n_claim_key, o_claim_key) AS claim_key,
       CASE WHEN o_claim_id IS NULL THEN 'added' WHEN n_claim_id IS NULL THEN 'removed'
            WHEN same THEN 'unchanged' ELSE 'revised' END AS change,
       coalesce(o_year, n_previous_year) AS old_report_year, coalesce(n_year, o_next_year) AS new_report_year,
       o_claim_id AS old_claim_id, n_claim_id AS new_claim_id, o_text AS old_text, n_text AS new_text,
       o_value_num AS old_value_num, n_value_num AS new_value_num,
       o_sentence AS old_sentence, n_sentence AS new_sentence,
       coalesce(n_chapter_subject, o_chapter_subject) AS chapter_subject
FROM matched;

-- ---------------------------------------------------------------------------------------
-- claim_checks of the news claims about `subjects` and of the news documents `documents`
-- (document ids), as migration 007 defined the view (the rules are in its comments), with
-- two changes: a report claim whose measure terms differ from the news claim's is not a
-- candidate (describes_same_measure), and the pairs are found by hash joins on narrow
-- tables: one row per (claim, frame word) on each side, joined on the word within the
-- same subject, edition, kind and unit, counted per pair (the words shared); likewise for
-- condition words and the reference period. 007 compared every news claim with every
-- report claim of that subject, edition, kind and unit by intersecting word lists per pair
-- (about 25 µs a pair; 470,000 pairs for one country of the 1M-claim benchmark).
CREATE MACRO claim_checks_of(subjects, documents) AS TABLE
WITH news_documents AS (
    SELECT d.* FROM latest_documents d
    WHERE d.doc_type = 'news' AND NOT EXISTS (
        SELECT 1 FROM latest_documents o
        WHERE o.sha256 = d.sha256 AND o.doc_type = 'news' AND o.doc_key < d.doc_key)
),
news AS MATERIALIZED (
    SELECT c.claim_id, c.subject, c.topic, c.kind, c.unit, c.text, c.value_num, c.low_num, c.qualifier_text,
           c.period, c.lo_num, c.lo_open, c.hi_num, c.hi_open, c.measure_bits,
           coalesce(string_split(nullif(c.claim_frame, ''), ' '), []) AS frame_words,
           coalesce(string_split(nullif(c.condition_frame, ''), ' '), []) AS condition_words,
           d.document_id, d.title AS document, d.published, coalesce(year(d.published), d.report_year) AS published_year
    FROM news_documents d
    JOIN (-- two reads, so that each filter reaches the claims scan
          SELECT * FROM claims WHERE subject IN (SELECT unnest(subjects))
          UNION ALL
          SELECT * FROM claims
          WHERE document_id IN (SELECT unnest(documents)) AND subject NOT IN (SELECT unnest(subjects))) c
      USING (document_id)
    WHERE c.kind IN ('money', 'percent') AND c.subject IS NOT NULL
),
rm AS MATERIALIZED (
    SELECT *, coalesce(string_split(nullif(claim_frame, ''), ' '), []) AS frame_words,
           coalesce(string_split(nullif(condition_frame, ''), ' '), []) AS condition_words
    FROM report_measures WHERE subject IN (SELECT DISTINCT subject FROM news)
),
checked AS (
    SELECT n.claim_id, max(e.report_year) AS checked_year
    FROM news n
    JOIN (SELECT DISTINCT subject, report_year FROM rm) e
      ON e.subject = n.subject
     AND (e.report_year < n.published_year
          OR (e.report_year = n.published_year
              AND (n.published IS NULL OR n.published >= make_date(e.report_year, 3, 31))))
    GROUP BY n.claim_id
),
-- A comparison slot: one subject, edition, kind and unit of the report measures, numbered,
-- so that the pairs are found by joining small integers and words.
slots AS MATERIALIZED (
    SELECT subject, report_year, kind, unit, row_number() OVER () AS slot
    FROM (SELECT DISTINCT subject, report_year, kind, unit FROM rm)
),
dated AS MATERIALIZED (
    SELECT n.*, c.checked_year, row_number() OVER () AS n_no, s.slot
    FROM news n LEFT JOIN checked c USING (claim_id)
    LEFT JOIN slots s ON s.subject = n.subject AND s.report_year = c.checked_year AND s.kind = n.kind
                     AND s.unit IS NOT DISTINCT FROM n.unit
),
reports AS MATERIALIZED (
    SELECT r.*, row_number() OVER () AS r_no, s.slot
    FROM rm r JOIN slots s ON s.subject = r.subject AND s.report_year = r.report_year AND s.kind = r.kind
                          AND s.unit IS NOT DISTINCT FROM r.unit
),
-- One row per word: (claim number, comparison slot: subject, edition, kind and unit, word).
news_words AS (SELECT n_no, slot, unnest(frame_words) AS word FROM dated WHERE slot IS NOT NULL),
report_words AS (SELECT r_no, slot, unnest(frame_words) AS word FROM reports),
news_conditions AS (SELECT n_no, slot, unnest(condition_words) AS word FROM dated WHERE slot IS NOT NULL),
report_conditions AS (SELECT r_no, slot, unnest(condition_words) AS word FROM reports),
-- Every pair that shares a frame word (f), a condition word (c) or the period (p): one row per
-- thing shared, counted per pair in one aggregation on one integer (news no. and report no.).
pairs AS (
    SELECT pair >> 32 AS n_no, pair & 4294967295 AS r_no,
           count(*) FILTER (WHERE shared = 'f') AS frame_shared,
           count(*) FILTER (WHERE shared = 'c') AS condition_shared,
           bool_or(shared = 'p') AS same_period
    FROM (
        SELECT (n.n_no << 32) | r.r_no AS pair, 'f' AS shared
        FROM news_words n JOIN report_words r ON r.slot = n.slot AND r.word = n.word
        UNION ALL
        SELECT (n.n_no << 32) | r.r_no, 'c'
        FROM news_conditions n JOIN report_conditions r ON r.slot = n.slot AND r.word = n.word
        UNION ALL
        SELECT (n.n_no << 32) | r.r_no, 'p'
        FROM dated n JOIN reports r ON r.slot = n.slot AND r.period = n.period
    )
    GROUP BY pair
),
-- What comparing a pair needs of each claim, and no more (millions of pairs on a large warehouse).
news_slim AS (
    SELECT n_no, topic, lo_num, lo_open, hi_num, hi_open, measure_bits,
           len(frame_words) AS frame_size, len(condition_words) AS condition_size
    FROM dated WHERE slot IS NOT NULL
),
report_slim AS (
    SELECT r_no, claim_id, topic, lo_num, lo_open, hi_num, hi_open, measure_bits,
           page, start_offset, len(frame_words) AS frame_size, len(condition_words) AS condition_size
    FROM reports
),
compared AS (
    SELECT p.n_no, r.claim_id AS report_id, r.page AS r_page, r.start_offset AS r_start_offset,
           claims_agree(n.lo_num, n.lo_open, n.hi_num, n.hi_open,
                        r.lo_num, r.lo_open, r.hi_num, r.hi_open) AS agrees,
           shared_similarity(p.frame_shared, n.frame_size, r.frame_size)
             + shared_similarity(p.condition_shared, n.condition_size, r.condition_size)
             + CASE WHEN p.same_period THEN 0.5 ELSE 0 END AS score
    FROM pairs p JOIN news_slim n ON n.n_no = p.n_no JOIN report_slim r ON r.r_no = p.r_no
    WHERE (r.topic = n.topic OR coalesce(r.topic, 'other') = 'other' OR coalesce(n.topic, 'other') = 'other')
      AND describes_same_measure(p.frame_shared, shared_similarity(p.frame_shared, n.frame_size, r.frame_size),
                                 p.condition_shared, p.same_period, n.measure_bits, r.measure_bits)
),
best AS (
    -- the most alike; among equals one that agrees, then the earliest
    SELECT n_no, pick.report_id, pick.agrees FROM (
        SELECT n_no, arg_max({'report_id': report_id, 'agrees': agrees},
                             [score, agrees::DOUBLE, -coalesce(r_page, 0), -r_start_offset]) AS pick
        FROM compared GROUP BY n_no)
),
judged AS (
    SELECT n.*, b.agrees, r.claim_id AS r_claim_id, r.text AS r_text, r.value_num AS r_value_num,
           r.low_num AS r_low_num, r.page AS r_page, r.qualifier_text AS r_qualifier_text,
           r.condition AS r_condition, r.period AS r_period,
           ed.previous_year AS p_year, p.text AS p_text, p.page AS p_page, p.qualifier_text AS p_qualifier_text,
           claims_agree(n.lo_num, n.lo_open, n.hi_num, n.hi_open,
                        p.lo_num, p.lo_open, p.hi_num, p.hi_open) AS agrees_with_previous
    FROM dated n
    LEFT JOIN best b ON b.n_no = n.n_no
    LEFT JOIN rm r ON r.claim_id = b.report_id
    -- the edition before the one checked against, of the report claim's chapter (any subject's claims count)
    LEFT JOIN report_editions ed ON ed.chapter_subject = r.chapter_subject AND ed.report_year = n.checked_year
    LEFT JOIN rm p
      ON p.chapter_subject = r.chapter_subject AND p.report_year = ed.previous_year
     AND p.claim_key = r.claim_key AND p.key_occurrence = r.key_occurrence
)
SELECT
    subject, topic, kind, unit,
    claim_id AS news_claim_id, text AS news_text, coalesce(value_num, low_num) AS news_value_num,
    document AS news_document, published AS news_published,
    r_claim_id AS report_claim_id, r_text AS report_text, coalesce(r_value_num, r_low_num) AS report_value_num,
    CASE WHEN r_claim_id IS NOT NULL THEN checked_year END AS report_year, r_page AS report_page,
    CASE WHEN r_claim_id IS NULL OR agrees IS NULL THEN 'unverified'
         WHEN agrees THEN 'consistent'
         ELSE 'contradicts' END AS verdict,
    CASE
        WHEN checked_year IS NULL THEN
            'no report edition on ' || subject || ' out by '
            || coalesce(published::VARCHAR, published_year::VARCHAR, 'the publication date')
        WHEN r_claim_id IS NULL THEN
            'the ' || checked_year || ' report states no ' || kind || ' figure on this measure for ' || subject
        ELSE
            checked_year || ' report' || coalesce(' p. ' || r_page, '') || ': '
            || stated(r_qualifier_text, r_text, r_condition) || coalesce(' (' || r_period || ')', '')
            || CASE WHEN agrees THEN ''
                    WHEN agrees_with_previous THEN '; the news repeats the ' || p_year || ' report'
                         || coalesce(' (p. ' || p_page || ')', '') || ': ' || stated(p_qualifier_text, p_text, NULL)
                    ELSE '; the news says ' || stated(qualifier_text, text, NULL) END
        END AS reason,
    document_id AS news_document_id
FROM judged;

-- The tables readers query: the columns of the 007 views, then what a refresh deletes by.
-- Filled by warehouse.findings.refresh (every load, and right after this migration).
CREATE TABLE edition_changes AS SELECT * FROM edition_changes_of([]::VARCHAR[]) LIMIT 0;
CREATE TABLE claim_checks AS SELECT * FROM claim_checks_of([]::VARCHAR[], []::VARCHAR[]) LIMIT 0;

-- ---------------------------------------------------------------------------------------
-- latest_claims as in 006 (the newest version of each document; of one content held by several
-- sources, the first by doc_key), with the rule decided per document and the claims semi-joined
-- to the documents it keeps: a filter on a claim column (subject, topic, kind) then reaches the
-- claims scan. 006's NOT EXISTS stood beside the claims join, so DuckDB paired every claim with
-- its document before any filter: report_vs_news for one country took 2.2 s on 1M claims.
CREATE OR REPLACE VIEW latest_claims AS
SELECT c.* FROM claims c
WHERE c.document_id IN (
    SELECT d.document_id FROM latest_documents d
    WHERE NOT EXISTS (SELECT 1 FROM latest_documents o WHERE o.sha256 = d.sha256 AND o.doc_key < d.doc_key));
