-- 015: measures named from either side, balances apart from flows, products as goods; edition
-- pairs past a topic move or a light rewrite; news checked across topics when the words agree.
--
-- A frame's measure terms (claims.measure_terms, warehouse/frames.py) now say where what it
-- measures comes from and goes to: classes origin and destination (country codes) and partner
-- (of an undirected measure: "trade with India") replace 009's one partner class. "Korea's
-- imports from the United States" and "U.S. goods exports to Korea" both go from USA to KOR:
-- one measure (the frame gains the marked words from_USA and to_KOR so the two share words,
-- and the terms the flow word shipment beside its own export or import);
-- "U.S. imports from Korea" goes the other way. A balance ("the U.S. goods trade deficit with
-- India") is no longer read against a flow total ("U.S. goods trade with India"): beside a
-- balance word, "trade" names no flow. Products (vehicles, steel, beef, rice, ...) are words of
-- the goods class. "into" marks a destination like "to", "with" a trade partner. Stems: "-ment"
-- ("requirement" and "requires" meet), agent nouns ("foreigners" and "foreign"; not "importers"),
-- "deal" reads as "contract".
--
-- measure_bits packs five fields now (flow 10 bits, goods 21, origin 11, destination 11,
-- partner 10: frames.FIELDS); measure_bits_differ reads them. Every money and percent claim's
-- frame is derived again (warehouse.store.fill_measures, right after this migration) and the
-- findings tables are recomputed: a claim_key may change, so an offset change alerted before
-- may be alerted once more under its new key.

UPDATE claims SET claim_frame = NULL WHERE kind IN ('money', 'percent');

-- Whether the field at `shift` (`mask` wide) has bits on both sides but none in common.
CREATE MACRO bits_field_differs(a, b, shift, mask) AS
    (a >> shift) & mask <> 0 AND (b >> shift) & mask <> 0 AND ((a & b) >> shift) & mask = 0;
CREATE OR REPLACE MACRO measure_bits_differ(a, b) AS coalesce(
    bits_field_differs(a, b, 0, 1023) OR bits_field_differs(a, b, 10, 2097151)
    OR bits_field_differs(a, b, 31, 2047) OR bits_field_differs(a, b, 42, 2047)
    OR bits_field_differs(a, b, 53, 1023), false);

-- ---------------------------------------------------------------------------------------
-- edition_changes_of as in 009 (one row per measure between consecutive editions of a
-- chapter), with two more ways to find a measure in the next edition. 009 paired only the
-- claims of one claim_key (and occurrence): a sentence that moved to a section of another
-- topic, or whose words next to the value were rewritten, split into a 'removed' and an
-- 'added' row. Now the claims left over after the claim_key pass are paired, within one
-- chapter, subject, kind and unit:
--   2. by the same frame under another topic (the n-th left over with the n-th, in text order);
--   3. then by similar frames: at least two words shared and half of all their words
--      (edition_match_threshold), no measure term differing (measure_bits_differ), no word
--      negated on one side only ("competitive" / "non_competitive"), conditions sharing a word
--      when both have one; each claim with the one most like it, when that one's most alike is
--      it too (mutual best: frame similarity + condition similarity).
-- A pair is 'unchanged' or 'revised' as before; topic, section and claim_key are the newer
-- claim's.
CREATE MACRO edition_match_threshold() AS 0.5;
-- The words a frame negates ('non_competit' -> 'competit'): a pair where one side negates a word
-- the other states is two measures.
CREATE MACRO negated_words(words) AS
    list_transform(list_filter(words, lambda w: starts_with(w, 'non_')), lambda w: w[5:]);

CREATE OR REPLACE MACRO edition_changes_of(chapters) AS TABLE
WITH measures AS MATERIALIZED (
    SELECT m.*, e.previous_year, e.next_year,
           coalesce(string_split(nullif(m.claim_frame, ''), ' '), []) AS frame_words,
           coalesce(string_split(nullif(m.condition_frame, ''), ' '), []) AS condition_words
    FROM report_measures m JOIN report_editions e USING (chapter_subject, report_year)
    WHERE m.chapter_subject IN (SELECT unnest(chapters)) AND e.chapter_subject IN (SELECT unnest(chapters))
),
olds AS (SELECT * FROM measures WHERE next_year IS NOT NULL),
news AS (SELECT * FROM measures WHERE previous_year IS NOT NULL),
-- 1. the same claim_key, the n-th with the n-th
by_key AS MATERIALIZED (
    SELECT o.claim_id AS old_id, n.claim_id AS new_id
    FROM olds o JOIN news n
      ON n.chapter_subject = o.chapter_subject AND n.report_year = o.next_year
     AND n.claim_key = o.claim_key AND n.key_occurrence = o.key_occurrence
),
-- 2. the same frame under another topic, among the claims left over
old_left AS MATERIALIZED (
    SELECT o.*, row_number() OVER (PARTITION BY o.chapter_subject, o.report_year, o.subject, o.kind, o.unit,
                                                o.claim_frame ORDER BY o.start_offset, o.claim_id) AS frame_occurrence
    FROM olds o WHERE o.claim_id NOT IN (SELECT old_id FROM by_key)
),
new_left AS MATERIALIZED (
    SELECT n.*, row_number() OVER (PARTITION BY n.chapter_subject, n.report_year, n.subject, n.kind, n.unit,
                                                n.claim_frame ORDER BY n.start_offset, n.claim_id) AS frame_occurrence
    FROM news n WHERE n.claim_id NOT IN (SELECT new_id FROM by_key)
),
by_frame AS MATERIALIZED (
    SELECT o.claim_id AS old_id, n.claim_id AS new_id
    FROM old_left o JOIN new_left n
      ON n.chapter_subject = o.chapter_subject AND n.report_year = o.next_year AND n.subject = o.subject
     AND n.kind = o.kind AND n.unit IS NOT DISTINCT FROM o.unit AND n.claim_frame = o.claim_frame
     AND n.frame_occurrence = o.frame_occurrence
),
-- 3. similar frames, mutual best, among what is still left. The pairs sharing words are found by
-- joining one row per (claim, word) on the word within one chapter, edition, subject, kind and
-- unit and counting per pair, as claim_checks_of does (not by intersecting word lists per pair).
-- a comparison slot: one chapter, edition, subject, kind and unit, numbered
rest_slots AS MATERIALIZED (
    SELECT chapter_subject, report_year AS year, subject, kind, unit, row_number() OVER () AS slot
    FROM (SELECT DISTINCT chapter_subject, report_year, subject, kind, unit FROM new_left)
),
rest_old AS MATERIALIZED (
    SELECT o.claim_id, o.start_offset, o.measure_bits, o.frame_words, o.condition_words,
           len(o.frame_words) AS frame_size, negated_words(o.frame_words) AS negated, s.slot,
           row_number() OVER () AS o_no
    FROM old_left o
    JOIN rest_slots s ON s.chapter_subject = o.chapter_subject AND s.year = o.next_year AND s.subject = o.subject
                     AND s.kind = o.kind AND s.unit IS NOT DISTINCT FROM o.unit
    WHERE o.claim_id NOT IN (SELECT old_id FROM by_frame)
),
rest_new AS MATERIALIZED (
    SELECT n.claim_id, n.start_offset, n.measure_bits, n.frame_words, n.condition_words,
           len(n.frame_words) AS frame_size, negated_words(n.frame_words) AS negated, s.slot,
           row_number() OVER () AS n_no
    FROM new_left n
    JOIN rest_slots s ON s.chapter_subject = n.chapter_subject AND s.year = n.report_year AND s.subject = n.subject
                     AND s.kind = n.kind AND s.unit IS NOT DISTINCT FROM n.unit
    WHERE n.claim_id NOT IN (SELECT new_id FROM by_frame)
),
shared_words AS (
    SELECT pair >> 32 AS o_no, pair & 4294967295 AS n_no, count(*) AS shared FROM (
        SELECT (o.o_no << 32) | n.n_no AS pair
        FROM (SELECT o_no, slot, unnest(frame_words) AS word FROM rest_old) o
        JOIN (SELECT n_no, slot, unnest(frame_words) AS word FROM rest_new) n ON n.slot = o.slot AND n.word = o.word)
    GROUP BY pair HAVING count(*) >= 2
),
alike AS (
    SELECT o.claim_id AS old_id, n.claim_id AS new_id, o.start_offset AS o_offset, n.start_offset AS n_offset,
           shared_similarity(w.shared, o.frame_size, n.frame_size)
             + words_similarity(o.condition_words, n.condition_words) AS score
    FROM shared_words w JOIN rest_old o ON o.o_no = w.o_no JOIN rest_new n ON n.n_no = w.n_no
    WHERE shared_similarity(w.shared, o.frame_size, n.frame_size) >= edition_match_threshold()
      AND NOT measure_bits_differ(o.measure_bits, n.measure_bits)
      AND NOT ((len(o.negated) > 0 AND list_has_any(o.negated, n.frame_words))
               OR (len(n.negated) > 0 AND list_has_any(n.negated, o.frame_words)))
      AND (len(o.condition_words) = 0 OR len(n.condition_words) = 0
           OR list_has_any(o.condition_words, n.condition_words))
),
by_similarity AS (
    SELECT old_id, new_id FROM (
        SELECT old_id, new_id,
               row_number() OVER (PARTITION BY old_id ORDER BY score DESC, n_offset, new_id) AS for_old,
               row_number() OVER (PARTITION BY new_id ORDER BY score DESC, o_offset, old_id) AS for_new
        FROM alike)
    WHERE for_old = 1 AND for_new = 1
),
pairs AS MATERIALIZED (
    SELECT * FROM by_key UNION ALL SELECT * FROM by_frame UNION ALL SELECT * FROM by_similarity
),
sides AS (
    SELECT old_id, new_id FROM pairs
    UNION ALL SELECT claim_id, NULL FROM olds WHERE claim_id NOT IN (SELECT old_id FROM pairs)
    UNION ALL SELECT NULL, claim_id FROM news WHERE claim_id NOT IN (SELECT new_id FROM pairs)
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
    FROM sides
    LEFT JOIN olds o ON o.claim_id = sides.old_id
    LEFT JOIN news n ON n.claim_id = sides.new_id
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
-- claim_checks_of as in 009, except for topics. 009 compared a news claim only with report
-- claims of the same topic (or one of them 'other'); but a news sentence's topic comes from its
-- own keywords ("... putting the country on the list for a closer tariff review" makes a trade
-- deficit a tariff claim; "any contract worth more than $25 million" in an offsets story is
-- procurement), so a figure the report states was unverified. Now a report claim of another
-- topic is a candidate too when the frames themselves say it is the same measure (two words
-- shared and frame_match_threshold of all: not a shared condition or period alone), and it
-- ranks other_topic_penalty() below an equally alike claim of a compatible topic.
CREATE MACRO topics_compatible(a, b) AS
    a = b OR coalesce(a, 'other') = 'other' OR coalesce(b, 'other') = 'other';
CREATE MACRO other_topic_penalty() AS 0.25;
CREATE OR REPLACE MACRO claim_checks_of(subjects, documents) AS TABLE
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
             + CASE WHEN p.same_period THEN 0.5 ELSE 0 END
             - CASE WHEN topics_compatible(n.topic, r.topic) THEN 0 ELSE other_topic_penalty() END AS score
    FROM pairs p JOIN news_slim n ON n.n_no = p.n_no JOIN report_slim r ON r.r_no = p.r_no
    WHERE (topics_compatible(n.topic, r.topic)
           OR (p.frame_shared >= 2
               AND shared_similarity(p.frame_shared, n.frame_size, r.frame_size) >= frame_match_threshold()))
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

