-- 007: from claims to findings. Money and percent claims as intervals, a claim_key naming
-- the measure a claim states (stable from one report edition to the next), the views
-- edition_changes and claim_checks, and the alerts table. Adds only: every 001–006 table
-- keeps its rows; the new claim columns of claims already loaded are filled below.
-- How the key is built and where it fails: README, "Findings".

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
-- The frame: the words that say what a value measures. From the claim's sentence, the
-- clause left of the value (cut at , ; : a digit, "and", "while", "but", "whereas", "so",
-- "which": its last 8 content words), the first 5 content words right of it up to the same
-- marks, and the claim's condition. Words are lower-cased; "without X", "no X", "non-X",
-- "not X" become "non_X" (competitive vs non-competitive contracts are two measures);
-- function words, hedges, verbs of stating ("were", "reached", "totaled") and scale words
-- are dropped; British spellings (defence, -ise) are read as American; a light suffix
-- stemmer folds plurals and -ive/-ion/-ing/-ed/-ly; the words are sorted and de-duplicated,
-- so reordering a clause does not change the frame.
CREATE MACRO frame_stopwords() AS [
    'a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'for', 'from', 'by', 'with', 'as', 'and', 'or',
    'is', 'are', 'was', 'were', 'be', 'been', 'being', 'it', 'its', 'this', 'that', 'these', 'those',
    'which', 'who', 'whose', 'than', 'more', 'less', 'least', 'most', 'no', 'not', 'up', 'down',
    'about', 'around', 'approximately', 'nearly', 'almost', 'roughly', 'some', 'over', 'under',
    'above', 'below', 'between', 'only', 'also', 'has', 'have', 'had', 'will', 'would', 'can',
    'could', 'may', 'might', 'must', 'shall', 'should', 'per', 'cent', 'percent', 'there', 'their',
    'they', 'them', 'such', 'each', 'any', 'all', 'other', 'into', 'through', 'when', 'if', 'where',
    'while', 'but', 'so', 'u.s', 'us', 'until', 'exceed', 'exceeds', 'exceeded', 'reach', 'reaches',
    'reached', 'total', 'totals', 'totaled', 'totalled', 'stood', 'equal', 'equals', 'equaled',
    'amount', 'amounts', 'amounted', 'estimated', 'close', 'just', 'well', 'much', 'many', 'now',
    'then', 'still', 'said', 'say', 'says', 'worth', 'value', 'valued', 'several', 'one', 'two',
    'three', 'percentage', 'points', 'point', 'billion', 'million', 'trillion', 'thousand', 'crore',
    'lakh', 'bn', 'mn', 'usd', 'eur', 'krw', 'rs', 'inr'];
CREATE MACRO frame_stem(w) AS regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(w, '^defenc', 'defens'), 'is(e|es|ed|ing|ation)$', 'iz\1'),
    'ie[sd]$', 'y'), '([^s])s$', '\1'),
    '^(.{4,}?)(?:ively|ive|ion|ing|ed|ly|e)$', '\1');
CREATE MACRO frame_tokens(s) AS list_transform(list_filter(
    regexp_extract_all(regexp_replace(lower(coalesce(s, '')), '\b(?:without|no|non|not)[\s-]+', 'non_', 'g'),
                       '[a-z_][a-z_.\-]*[a-z]'),
    lambda w: length(w) > 2 AND NOT list_contains(frame_stopwords(), w)
              AND NOT list_contains(frame_stopwords(), replace(w, 'non_', ''))),
    lambda w: frame_stem(w));
CREATE MACRO frame_left(sentence, claim_text) AS regexp_extract(
    substr(sentence, 1, greatest(instr(sentence, claim_text) - 1, 0)),
    '(?s)^(?:.*(?:[,;:0-9]|\b(?:and|while|but|whereas|so|which)\b))?(.*)$', 1);
CREATE MACRO frame_right(sentence, claim_text) AS CASE WHEN instr(sentence, claim_text) > 0 THEN
    regexp_extract(substr(sentence, instr(sentence, claim_text) + length(claim_text)),
                   '(?s)^(.*?)(?:[,;:0-9]|\b(?:and|while|but|whereas|so|which)\b|$)', 1)
    END;
CREATE MACRO claim_frame(kind, sentence, claim_text, cond) AS CASE WHEN kind IN ('money', 'percent') THEN
    array_to_string(list_sort(list_distinct(
        list_slice(frame_tokens(frame_left(sentence, claim_text)), -8, -1)
        || list_slice(frame_tokens(frame_right(sentence, claim_text)), 1, 5)
        || frame_tokens(cond))), ' ')
    END;
-- The measure: subject | topic | kind | unit | frame. NULL (never compared) without a subject.
CREATE MACRO claim_key_of(subject, topic, kind, unit, frame) AS CASE
    WHEN subject IS NOT NULL AND frame IS NOT NULL THEN
        concat_ws('|', subject, coalesce(topic, ''), kind, coalesce(unit, ''), frame) END;
-- How alike two word lists are: shared words over all words (Jaccard); 0 when either is empty.
CREATE MACRO words_similarity(a, b) AS CASE
    WHEN coalesce(len(a), 0) = 0 OR coalesce(len(b), 0) = 0 THEN 0.0
    ELSE len(list_intersect(a, b)) / len(list_distinct(a || b)) END;
CREATE MACRO frame_similarity(a, b) AS words_similarity(string_split(nullif(a, ''), ' '), string_split(nullif(b, ''), ' '));
-- A news claim and a report claim describe the same measure when their frames share at
-- least two words and this share of all their words, or their conditions share a word, or
-- they state the same reference period.
CREATE MACRO frame_match_threshold() AS 0.15;

ALTER TABLE claims ADD COLUMN lo_num DOUBLE;
ALTER TABLE claims ADD COLUMN hi_num DOUBLE;
ALTER TABLE claims ADD COLUMN lo_open BOOLEAN;
ALTER TABLE claims ADD COLUMN hi_open BOOLEAN;
ALTER TABLE claims ADD COLUMN claim_frame VARCHAR;
ALTER TABLE claims ADD COLUMN claim_key VARCHAR;
UPDATE claims SET
    lo_num = claim_lo(kind, qualifier, value_num, low_num, high_num),
    hi_num = claim_hi(kind, qualifier, value_num, low_num, high_num),
    lo_open = claim_lo_open(kind, qualifier),
    hi_open = claim_hi_open(kind, qualifier),
    claim_frame = claim_frame(kind, sentence, text, condition);
UPDATE claims SET claim_key = claim_key_of(subject, topic, kind, unit, claim_frame);

-- ---------------------------------------------------------------------------------------
-- One edition of a report chapter: the claims of one report_year about one chapter. A
-- chapter is named by its subject (the most frequent claim subject under that chapter
-- heading), so "Korea" and "Republic of Korea" are one chapter, and a report without
-- chapter headings is one chapter. When two loaded reports hold the same chapter in the
-- same year (a mirror, a full report beside an excerpt), the first by doc_key is the edition.
CREATE VIEW report_measures AS
WITH rc AS (
    SELECT c.*, d.report_year, d.title AS document
    FROM latest_claims c JOIN latest_documents d USING (document_id)
    WHERE d.doc_type = 'report' AND d.report_year IS NOT NULL
),
chapters AS (
    SELECT document_id, chapter, first(subject ORDER BY n DESC, subject) AS chapter_subject
    FROM (SELECT document_id, chapter, subject, count(*) AS n FROM rc WHERE subject IS NOT NULL GROUP BY ALL)
    GROUP BY ALL
),
placed AS (
    SELECT rc.*, ch.chapter_subject
    FROM rc JOIN chapters ch ON ch.document_id = rc.document_id AND ch.chapter IS NOT DISTINCT FROM rc.chapter
),
edition_documents AS (
    SELECT chapter_subject, report_year, min(doc_key) AS doc_key FROM placed GROUP BY ALL
)
SELECT p.*,
       row_number() OVER (PARTITION BY p.chapter_subject, p.report_year, p.claim_key
                          ORDER BY p.start_offset, p.claim_id) AS occurrence
FROM placed p JOIN edition_documents e USING (chapter_subject, report_year, doc_key)
WHERE p.claim_key IS NOT NULL;

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
-- 'added' / 'removed': stated in one edition only.
CREATE VIEW edition_changes AS
WITH old_side AS (
    SELECT m.*, e.next_year AS pair_year FROM report_measures m
    JOIN report_editions e USING (chapter_subject, report_year) WHERE e.next_year IS NOT NULL
),
new_side AS (
    SELECT m.*, e.previous_year AS pair_year FROM report_measures m
    JOIN report_editions e USING (chapter_subject, report_year) WHERE e.previous_year IS NOT NULL
)
SELECT
    coalesce(n.subject, o.subject) AS subject,
    coalesce(n.chapter, o.chapter) AS chapter,
    coalesce(n.section, o.section) AS section,
    coalesce(n.topic, o.topic) AS topic,
    coalesce(n.kind, o.kind) AS kind,
    coalesce(n.unit, o.unit) AS unit,
    coalesce(n.claim_key, o.claim_key) AS claim_key,
    CASE WHEN o.claim_id IS NULL THEN 'added'
         WHEN n.claim_id IS NULL THEN 'removed'
         WHEN o.lo_num IS NOT DISTINCT FROM n.lo_num AND o.hi_num IS NOT DISTINCT FROM n.hi_num
              AND o.lo_open IS NOT DISTINCT FROM n.lo_open AND o.hi_open IS NOT DISTINCT FROM n.hi_open
              AND o.period IS NOT DISTINCT FROM n.period THEN 'unchanged'
         ELSE 'revised' END AS change,
    coalesce(o.report_year, n.pair_year) AS old_report_year,
    coalesce(n.report_year, o.pair_year) AS new_report_year,
    o.claim_id AS old_claim_id, n.claim_id AS new_claim_id,
    o.text AS old_text, n.text AS new_text,
    coalesce(o.value_num, o.low_num) AS old_value_num, coalesce(n.value_num, n.low_num) AS new_value_num,
    o.sentence AS old_sentence, n.sentence AS new_sentence
FROM old_side o FULL OUTER JOIN new_side n
  ON o.chapter_subject = n.chapter_subject AND o.pair_year = n.report_year AND n.pair_year = o.report_year
 AND o.claim_key = n.claim_key AND o.occurrence = n.occurrence;

-- ---------------------------------------------------------------------------------------
-- What the report says about each figure in the news. One row per news money/percent claim
-- with a subject. The edition checked against: the newest report_year, among the editions
-- stating claims about that subject, that is not after the article's publication year (NTE
-- editions appear at the end of March: an article published before 31 March of year Y is
-- checked against the Y-1 edition). The report claim: the one of that edition, same subject,
-- kind and unit, of the same topic (or one of them 'other': topics of news and report
-- sections differ often), that describes the same measure (frame_match_threshold) and is most
-- like it: Jaccard of the frame words, plus that of the conditions' words, plus 0.5 for the
-- same reference period; among equals one that agrees wins, then the earliest. No such
-- claim: the news figure is unverified.
-- verdict: 'consistent' (claims_agree: the intervals overlap), 'contradicts' (they do not; when the
-- news figure agrees with the previous edition's figure for the same measure, the reason
-- says the news repeats that edition), 'unverified' (no edition, or no claim stating the measure).
CREATE VIEW claim_checks AS
WITH rm AS MATERIALIZED (
    SELECT *, frame_tokens(condition) AS condition_words FROM report_measures
),
news AS (
    SELECT c.*, d.title AS document, d.published, frame_tokens(c.condition) AS condition_words,
           coalesce(year(d.published), d.report_year) AS published_year
    FROM latest_claims c JOIN latest_documents d USING (document_id)
    WHERE d.doc_type = 'news' AND c.kind IN ('money', 'percent') AND c.subject IS NOT NULL
),
checked_edition AS (
    SELECT n.claim_id, max(r.report_year) AS report_year
    FROM news n JOIN (SELECT DISTINCT subject, report_year FROM rm) r
      ON r.subject = n.subject
     AND (r.report_year < n.published_year
          OR (r.report_year = n.published_year
              AND (n.published IS NULL OR n.published >= make_date(r.report_year, 3, 31))))
    GROUP BY n.claim_id
),
candidates AS (
    SELECT n.claim_id AS news_claim_id, r.claim_id AS report_claim_id,
           frame_similarity(n.claim_frame, r.claim_frame) AS frame_sim,
           len(list_intersect(string_split(nullif(n.claim_frame, ''), ' '),
                              string_split(nullif(r.claim_frame, ''), ' '))) AS shared_words,
           words_similarity(n.condition_words, r.condition_words) AS condition_sim,
           n.period = r.period AS same_period,
           claims_agree(n.lo_num, n.lo_open, n.hi_num, n.hi_open,
                        r.lo_num, r.lo_open, r.hi_num, r.hi_open) AS agrees,
           r.page, r.start_offset
    FROM news n
    JOIN checked_edition e ON e.claim_id = n.claim_id
    JOIN rm r
      ON r.subject = n.subject AND r.report_year = e.report_year AND r.kind = n.kind
     AND r.unit IS NOT DISTINCT FROM n.unit
     AND (r.topic = n.topic OR coalesce(r.topic, 'other') = 'other' OR coalesce(n.topic, 'other') = 'other')
),
best AS (
    SELECT news_claim_id,
           arg_max(report_claim_id, [frame_sim + condition_sim + CASE WHEN same_period THEN 0.5 ELSE 0 END,
                                     agrees::DOUBLE, -coalesce(page, 0), -start_offset]) AS report_claim_id
    FROM candidates
    WHERE (shared_words >= 2 AND frame_sim >= frame_match_threshold()) OR condition_sim > 0 OR same_period
    GROUP BY news_claim_id
),
matched AS (
    SELECT n.*, e.report_year AS checked_year, b.report_claim_id
    FROM news n
    LEFT JOIN checked_edition e ON e.claim_id = n.claim_id
    LEFT JOIN best b ON b.news_claim_id = n.claim_id
),
judged AS (
    SELECT m.*, r.text AS r_text, r.value_num AS r_value_num, r.low_num AS r_low_num, r.page AS r_page,
           r.qualifier_text AS r_qualifier_text, r.condition AS r_condition, r.period AS r_period,
           claims_agree(m.lo_num, m.lo_open, m.hi_num, m.hi_open,
                        r.lo_num, r.lo_open, r.hi_num, r.hi_open) AS agrees,
           p.claim_id AS p_claim_id, p.report_year AS p_year, p.text AS p_text, p.page AS p_page,
           p.qualifier_text AS p_qualifier_text,
           claims_agree(m.lo_num, m.lo_open, m.hi_num, m.hi_open,
                        p.lo_num, p.lo_open, p.hi_num, p.hi_open) AS agrees_with_previous
    FROM matched m
    LEFT JOIN rm r ON r.claim_id = m.report_claim_id
    LEFT JOIN report_editions ed ON ed.chapter_subject = r.chapter_subject AND ed.report_year = r.report_year
    LEFT JOIN rm p
      ON p.chapter_subject = r.chapter_subject AND p.report_year = ed.previous_year
     AND p.claim_key = r.claim_key AND p.occurrence = r.occurrence
)
SELECT
    subject, topic, kind, unit,
    claim_id AS news_claim_id, text AS news_text, coalesce(value_num, low_num) AS news_value_num,
    document AS news_document, published AS news_published,
    report_claim_id, r_text AS report_text, coalesce(r_value_num, r_low_num) AS report_value_num,
    CASE WHEN report_claim_id IS NOT NULL THEN checked_year END AS report_year, r_page AS report_page,
    CASE WHEN report_claim_id IS NULL OR agrees IS NULL THEN 'unverified'
         WHEN agrees THEN 'consistent'
         ELSE 'contradicts' END AS verdict,
    CASE
        WHEN checked_year IS NULL THEN
            'no report edition on ' || subject || ' out by ' || coalesce(published::VARCHAR, published_year::VARCHAR, 'the publication date')
        WHEN report_claim_id IS NULL THEN
            'the ' || checked_year || ' report states no ' || kind || ' figure on this measure for ' || subject
        ELSE
            checked_year || ' report' || coalesce(' p. ' || r_page, '') || ': '
            || concat_ws(' ', r_qualifier_text, r_text, r_condition) || coalesce(' (' || r_period || ')', '')
            || CASE WHEN agrees THEN ''
                    WHEN agrees_with_previous THEN '; the news repeats the ' || p_year || ' report'
                         || coalesce(' (p. ' || p_page || ')', '') || ': ' || concat_ws(' ', p_qualifier_text, p_text)
                    ELSE '; the news says ' || concat_ws(' ', qualifier_text, text) END
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
