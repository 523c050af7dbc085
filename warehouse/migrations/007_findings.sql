-- 007: from claims to findings. Money and percent claims as intervals, a claim_key naming
-- the measure a claim states (stable from one report edition to the next), the views
-- edition_changes and claim_checks, and the alerts table. Adds only: every 001–006 table
-- keeps its rows; the new claim columns of claims already loaded are filled below.
-- How the key is built and where it fails: README, "Findings", and warehouse/frames.py.

-- ---------------------------------------------------------------------------------------
-- Claims as intervals. exact: [v, v]; approx: [v - 5 %, v + 5 %] (APPROX_TOLERANCE, the
-- hedges "about", "nearly", "around", "roughly" say no more than that); at_least: [v, +inf);
-- more_than: (v, +inf); at_most: (-inf, v]; less_than: (-inf, v); range: [low, high].
-- lo_open / hi_open say whether the end itself is excluded.
CREATE MACRO approx_tolerance() AS 0.05;
CREATE MACRO claim_lo(kind, qualifier, v, lo, hi) AS CASE
    WHEN kind NOT IN ('money', 'percent') THEN NULL
    WHEN qualifier = 'range' OR (v IS NULL AND lo IS NOT NULL) THEN least(lo, coalesce(hi, lo))
    WHEN qualifier = 'approx' THEN least(v * (1 - approx_tolerance()), v * (1 + approx_tolerance()))
    WHEN qualifier IN ('at_most', 'less_than') THEN '-infinity'::DOUBLE
    ELSE v END;
CREATE MACRO claim_hi(kind, qualifier, v, lo, hi) AS CASE
    WHEN kind NOT IN ('money', 'percent') THEN NULL
    WHEN qualifier = 'range' OR (v IS NULL AND lo IS NOT NULL) THEN greatest(hi, lo)
    WHEN qualifier = 'approx' THEN greatest(v * (1 - approx_tolerance()), v * (1 + approx_tolerance()))
    WHEN qualifier IN ('at_least', 'more_than') THEN 'infinity'::DOUBLE
    ELSE v END;
CREATE MACRO claim_lo_open(kind, qualifier) AS CASE
    WHEN kind NOT IN ('money', 'percent') THEN NULL
    ELSE qualifier IN ('more_than', 'at_most', 'less_than') END;
CREATE MACRO claim_hi_open(kind, qualifier) AS CASE
    WHEN kind NOT IN ('money', 'percent') THEN NULL
    ELSE qualifier IN ('less_than', 'at_least', 'more_than') END;
-- Two claims agree when their intervals share a point: [a_lo, a_hi] and [b_lo, b_hi]
-- overlap unless one ends before the other starts (an open end excludes the point itself).
CREATE MACRO intervals_overlap(a_lo, a_lo_open, a_hi, a_hi_open, b_lo, b_lo_open, b_hi, b_hi_open) AS
    (a_lo < b_hi OR (a_lo = b_hi AND NOT a_lo_open AND NOT b_hi_open))
    AND (b_lo < a_hi OR (b_lo = a_hi AND NOT b_lo_open AND NOT a_hi_open));
-- Whether two claims agree. Overlap, except for two bounds in the same direction: "no less
-- than 50 percent" and "no less than 40 percent" both admit 60 percent, but they state two
-- different rules, so two lower bounds (or two upper bounds) agree only on the same bound.
CREATE MACRO claims_agree(a_lo, a_lo_open, a_hi, a_hi_open, b_lo, b_lo_open, b_hi, b_hi_open) AS CASE
    WHEN a_hi = 'infinity'::DOUBLE AND b_hi = 'infinity'::DOUBLE THEN a_lo = b_lo
    WHEN a_lo = '-infinity'::DOUBLE AND b_lo = '-infinity'::DOUBLE THEN a_hi = b_hi
    ELSE intervals_overlap(a_lo, a_lo_open, a_hi, a_hi_open, b_lo, b_lo_open, b_hi, b_hi_open) END;

-- ---------------------------------------------------------------------------------------
-- The frame (claim_frame): the words that say what a money or percent value measures,
-- from its sentence and condition, sorted (warehouse/frames.py builds it in Python when
-- claims are turned into rows; condition_frame holds the condition's words alone).
-- claim_key, the measure: subject|topic|kind|unit|frame, NULL (never compared) without a
-- subject. chapter_subject: the subject of the report chapter holding the claim (the most
-- frequent claim subject under that heading). key_occurrence: 1, 2, … for the claims of one
-- document and chapter that state the same claim_key, in text order.
-- How alike two word lists are: shared words over all words (Jaccard); 0 when either is empty.
CREATE MACRO words_similarity(a, b) AS CASE
    WHEN coalesce(len(a), 0) = 0 OR coalesce(len(b), 0) = 0 THEN 0.0
    ELSE len(list_intersect(a, b)) / len(list_distinct(a || b)) END;
CREATE MACRO frame_similarity(a, b) AS words_similarity(string_split(nullif(a, ''), ' '), string_split(nullif(b, ''), ' '));
CREATE MACRO frame_shared(a, b) AS coalesce(len(list_intersect(string_split(nullif(a, ''), ' '),
                                                              string_split(nullif(b, ''), ' '))), 0);
-- A claim as a person reads it: its hedge ("no less than"; "or more" goes after the value),
-- the value as written, its condition.
CREATE MACRO stated(qualifier_text, claim_text, cond) AS CASE
    WHEN qualifier_text ILIKE 'or %' OR qualifier_text ILIKE 'and %' THEN concat_ws(' ', claim_text, qualifier_text, cond)
    ELSE concat_ws(' ', qualifier_text, claim_text, cond) END;
-- A news claim and a report claim describe the same measure when their frames share at
-- least two words and this share of all their words, or their conditions share a word, or
-- they state the same reference period.
CREATE MACRO frame_match_threshold() AS 0.15;

ALTER TABLE claims ADD COLUMN lo_num DOUBLE;
ALTER TABLE claims ADD COLUMN hi_num DOUBLE;
ALTER TABLE claims ADD COLUMN lo_open BOOLEAN;
ALTER TABLE claims ADD COLUMN hi_open BOOLEAN;
ALTER TABLE claims ADD COLUMN claim_frame VARCHAR;
ALTER TABLE claims ADD COLUMN condition_frame VARCHAR;
ALTER TABLE claims ADD COLUMN claim_key VARCHAR;
ALTER TABLE claims ADD COLUMN chapter_subject VARCHAR;
ALTER TABLE claims ADD COLUMN key_occurrence INTEGER;
UPDATE claims SET
    lo_num = claim_lo(kind, qualifier, value_num, low_num, high_num),
    hi_num = claim_hi(kind, qualifier, value_num, low_num, high_num),
    lo_open = claim_lo_open(kind, qualifier),
    hi_open = claim_hi_open(kind, qualifier);
-- The measure columns (claim_frame, condition_frame, claim_key, chapter_subject,
-- key_occurrence) of the claims already loaded are filled by warehouse.store.connect right
-- after this migration: they are built in Python (warehouse/frames.py).

-- ---------------------------------------------------------------------------------------
-- One edition of a report chapter: the claims of one report_year about one chapter, named
-- by its subject (claims.chapter_subject), so "Korea" and "Republic of Korea" are one
-- chapter. When two loaded reports hold the same chapter in the same year (a mirror, a
-- full report beside an excerpt), the first by doc_key is the edition. Only money and
-- percent claims with a subject and a report_year are measures; a report without
-- report_year is never compared.
CREATE VIEW report_measures AS
WITH rc AS (
    -- reports only, so latest_documents is enough: latest_claims' syndication rule is about news
    SELECT c.*, d.report_year, d.title AS document
    FROM claims c JOIN latest_documents d USING (document_id)
    WHERE d.doc_type = 'report' AND d.report_year IS NOT NULL AND c.claim_key IS NOT NULL
)
SELECT rc.* FROM rc
SEMI JOIN (SELECT chapter_subject, report_year, min(doc_key) AS doc_key FROM rc GROUP BY ALL) e
  USING (chapter_subject, report_year, doc_key);

CREATE VIEW report_editions AS
SELECT chapter_subject, report_year,
       lag(report_year) OVER (PARTITION BY chapter_subject ORDER BY report_year) AS previous_year,
       lead(report_year) OVER (PARTITION BY chapter_subject ORDER BY report_year) AS next_year
FROM (SELECT DISTINCT chapter_subject, report_year FROM report_measures);

-- What changed between consecutive editions of a chapter: one row per measure (claim_key,
-- and the n-th claim of that key when an edition states it more than once). 'unchanged':
-- the same interval and the same reference period; 'revised': a new value, qualifier or
-- reference period ("13.4 percent in 2022" -> "13.4 percent in 2023" is revised: the
-- report restated the figure for a new year, old_value_num = new_value_num shows it);
-- 'added' / 'removed': stated in one edition only. old_report_year and new_report_year are
-- the two editions compared (both set on every row); the claim columns are NULL on the
-- side that has no claim; for a range the value is its low end.
CREATE VIEW edition_changes AS
WITH measures AS MATERIALIZED (
    SELECT m.*, e.previous_year, e.next_year
    FROM report_measures m JOIN report_editions e USING (chapter_subject, report_year)
),
matched AS (
    SELECT o.subject AS o_subject, o.chapter AS o_chapter, o.section AS o_section, o.topic AS o_topic,
           o.kind AS o_kind, o.unit AS o_unit, o.claim_key AS o_claim_key, o.report_year AS o_year,
           o.next_year AS o_next_year, o.claim_id AS o_claim_id, o.text AS o_text,
           coalesce(o.value_num, o.low_num) AS o_value_num, o.sentence AS o_sentence,
           n.subject AS n_subject, n.chapter AS n_chapter, n.section AS n_section, n.topic AS n_topic,
           n.kind AS n_kind, n.unit AS n_unit, n.claim_key AS n_claim_key, n.report_year AS n_year,
           n.previous_year AS n_previous_year, n.claim_id AS n_claim_id, n.text AS n_text,
           coalesce(n.value_num, n.low_num) AS n_value_num, n.sentence AS n_sentence,
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
       o_sentence AS old_sentence, n_sentence AS new_sentence
FROM matched;

-- ---------------------------------------------------------------------------------------
-- What the report says about each figure in the news. One row per news money/percent claim
-- with a subject. The edition checked against: the newest report_year, among the editions
-- stating claims about that subject, that is not after the article's publication year (NTE
-- editions appear at the end of March: an article published before 31 March of year Y is
-- checked against the Y-1 edition). The report claim: the one of that edition, same subject,
-- kind and unit, of the same topic (or one of them 'other': topics of news and report
-- sections differ often), that describes the same measure and is most like it: the frames
-- share two words and frame_match_threshold of all their words, or the conditions share a
-- word, or both state the same reference period. Most like: Jaccard of the frame words,
-- plus that of the conditions' words, plus 0.5 for the same reference period; among equals
-- one that agrees wins, then the earliest. No such claim: the news figure is unverified.
-- verdict: 'consistent' (claims_agree), 'contradicts' (they do not agree; when the news
-- figure agrees with the previous edition's figure for the same measure, the reason says the
-- news repeats that edition), 'unverified' (no edition, or no claim stating the measure).
-- Written as one chain from the news side (every step referenced once, grouped by every
-- news column), so that a filter on a news column (subject, news_document, news_published,
-- …) reaches the news claims before any report claim is compared; the report measures are
-- read once (rm).
CREATE VIEW claim_checks AS
WITH rm AS MATERIALIZED (SELECT * FROM report_measures),
-- The news documents whose claims latest_claims counts (migration 004: of one content held
-- by several news sources, the first by doc_key), decided per document rather than per
-- claim, so that a filter on the article reaches the claims scan.
news_documents AS (
    SELECT d.* FROM latest_documents d
    WHERE d.doc_type = 'news' AND NOT EXISTS (
        SELECT 1 FROM latest_documents o
        WHERE o.sha256 = d.sha256 AND o.doc_type = 'news' AND o.doc_key < d.doc_key)
),
news AS (
    SELECT c.claim_id, c.subject, c.topic, c.kind, c.unit, c.text, c.value_num, c.low_num, c.qualifier_text,
           c.period, c.lo_num, c.lo_open, c.hi_num, c.hi_open, c.claim_frame, c.condition_frame,
           d.title AS document, d.published, coalesce(year(d.published), d.report_year) AS published_year
    FROM news_documents d JOIN claims c USING (document_id)
    WHERE c.kind IN ('money', 'percent') AND c.subject IS NOT NULL
),
dated AS (
    SELECT n.*, max(e.report_year) AS checked_year
    FROM news n
    LEFT JOIN (SELECT DISTINCT subject, report_year FROM rm) e
      ON e.subject = n.subject
     AND (e.report_year < n.published_year
          OR (e.report_year = n.published_year
              AND (n.published IS NULL OR n.published >= make_date(e.report_year, 3, 31))))
    GROUP BY ALL
),
compared AS (
    SELECT n.*, r.claim_id AS r_claim_id, r.text AS r_text, r.value_num AS r_value_num, r.low_num AS r_low_num,
           r.page AS r_page, r.start_offset AS r_start_offset, r.qualifier_text AS r_qualifier_text,
           r.condition AS r_condition, r.period AS r_period, r.chapter_subject AS r_chapter_subject,
           r.claim_key AS r_claim_key, r.key_occurrence AS r_key_occurrence,
           claims_agree(n.lo_num, n.lo_open, n.hi_num, n.hi_open,
                        r.lo_num, r.lo_open, r.hi_num, r.hi_open) AS r_agrees,
           frame_similarity(n.claim_frame, r.claim_frame)
             + frame_similarity(n.condition_frame, r.condition_frame)
             + CASE WHEN n.period = r.period THEN 0.5 ELSE 0 END AS score
    FROM dated n
    LEFT JOIN rm r
      ON r.subject = n.subject AND r.report_year = n.checked_year AND r.kind = n.kind
     AND r.unit IS NOT DISTINCT FROM n.unit
     AND (r.topic = n.topic OR coalesce(r.topic, 'other') = 'other' OR coalesce(n.topic, 'other') = 'other')
     AND ((frame_shared(n.claim_frame, r.claim_frame) >= 2
           AND frame_similarity(n.claim_frame, r.claim_frame) >= frame_match_threshold())
          OR frame_shared(n.condition_frame, r.condition_frame) > 0 OR n.period = r.period)
),
best AS (
    SELECT * EXCLUDE (pick), pick.* FROM (
        SELECT claim_id, subject, topic, kind, unit, text, value_num, low_num, qualifier_text, period,
               lo_num, lo_open, hi_num, hi_open, claim_frame, condition_frame, document, published,
               published_year, checked_year,
               arg_max({'r_claim_id': r_claim_id, 'r_text': r_text, 'r_value_num': r_value_num,
                        'r_low_num': r_low_num, 'r_page': r_page, 'r_qualifier_text': r_qualifier_text,
                        'r_condition': r_condition, 'r_period': r_period, 'r_chapter_subject': r_chapter_subject,
                        'r_claim_key': r_claim_key, 'r_key_occurrence': r_key_occurrence, 'agrees': r_agrees},
                       CASE WHEN r_claim_id IS NOT NULL THEN
                           [score, r_agrees::DOUBLE, -coalesce(r_page, 0), -r_start_offset] END) AS pick
        FROM compared
        GROUP BY ALL
    )
),
judged AS (
    SELECT m.*, ed.previous_year AS p_year, p.text AS p_text, p.page AS p_page, p.qualifier_text AS p_qualifier_text,
           claims_agree(m.lo_num, m.lo_open, m.hi_num, m.hi_open,
                        p.lo_num, p.lo_open, p.hi_num, p.hi_open) AS agrees_with_previous
    FROM best m
    LEFT JOIN (SELECT chapter_subject, report_year,
                      lag(report_year) OVER (PARTITION BY chapter_subject ORDER BY report_year) AS previous_year
               FROM (SELECT DISTINCT chapter_subject, report_year FROM rm)) ed
      ON ed.chapter_subject = m.r_chapter_subject AND ed.report_year = m.checked_year
    LEFT JOIN rm p
      ON p.chapter_subject = m.r_chapter_subject AND p.report_year = ed.previous_year
     AND p.claim_key = m.r_claim_key AND p.key_occurrence = m.r_key_occurrence
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
        END AS reason
FROM judged;

-- ---------------------------------------------------------------------------------------
-- Alerts: an offset claim that a newly loaded edition revised, added or removed. Written
-- only by the warehouse writer (the offset_alerts asset, run by the offset_alerts_sensor),
-- once per change: a second evaluation of the same warehouse adds no row.
CREATE TABLE alerts (
    created_at TIMESTAMP NOT NULL,  -- when the alert was raised
    subject    VARCHAR,             -- ISO 3166 alpha-3 code or organisation
    claim_key  VARCHAR NOT NULL,    -- the measure (edition_changes.claim_key)
    change     VARCHAR NOT NULL,    -- 'revised' | 'added' | 'removed'
    old        VARCHAR,             -- the older edition's claim as written ('50 percent'), NULL when added
    new        VARCHAR,             -- the newer edition's claim as written, NULL when removed
    document   VARCHAR              -- the newer edition's document (title)
);
