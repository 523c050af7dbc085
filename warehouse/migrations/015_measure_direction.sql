-- 015: measures named from either side, balances apart from flows, products as goods.
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
-- the goods class. "into" marks a destination like "to", "with" a trade partner.
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
CREATE MACRO negated_on_one_side(a, b) AS
    len(list_intersect(list_transform(a, lambda w: 'non_' || w), b)) > 0
    OR len(list_intersect(list_transform(b, lambda w: 'non_' || w), a)) > 0;

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
-- 3. similar frames, mutual best, among what is still left
alike AS (
    SELECT o.claim_id AS old_id, n.claim_id AS new_id, o.start_offset AS o_offset, n.start_offset AS n_offset,
           words_similarity(o.frame_words, n.frame_words)
             + words_similarity(o.condition_words, n.condition_words) AS score
    FROM (SELECT * FROM old_left WHERE claim_id NOT IN (SELECT old_id FROM by_frame)) o
    JOIN (SELECT * FROM new_left WHERE claim_id NOT IN (SELECT new_id FROM by_frame)) n
      ON n.chapter_subject = o.chapter_subject AND n.report_year = o.next_year AND n.subject = o.subject
     AND n.kind = o.kind AND n.unit IS NOT DISTINCT FROM o.unit
    WHERE len(list_intersect(o.frame_words, n.frame_words)) >= 2
      AND words_similarity(o.frame_words, n.frame_words) >= edition_match_threshold()
      AND NOT measure_bits_differ(o.measure_bits, n.measure_bits)
      AND NOT negated_on_one_side(o.frame_words, n.frame_words)
      AND (len(o.condition_words) = 0 OR len(n.condition_words) = 0
           OR len(list_intersect(o.condition_words, n.condition_words)) > 0)
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
