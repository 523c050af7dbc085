-- 016: production is a measure of its own.
--
-- "production", "produce(d)" and "output" are a word of the flow class of a frame's measure terms
-- now (flow=produc, warehouse/frames.py): a production figure is never read against an export,
-- import or trade figure (the demo's figure for India's defence production was checked against the
-- report's defence exports figure), while two production figures of one measure still are.
-- "products" stays a goods noun (product), "producers" are not production (as importers are not
-- imports).
--
-- The flow field of measure_bits is one bit wider (11 words), taken from the partner field:
-- flow 11 bits, goods 21, origin 11, destination 11, partner 9 (frames.FIELDS, still 63 bits of a
-- BIGINT); measure_bits_differ reads the new widths. Every money and percent claim's frame, terms
-- and bits are derived again (warehouse.store.fill_measures, right after this migration) and the
-- findings tables are recomputed: bits packed in the old layout would be misread by the new
-- macro, and a claim_key may change (production words in a frame), so an offset change alerted
-- before may be alerted once more under its new key.

UPDATE claims SET claim_frame = NULL WHERE kind IN ('money', 'percent');

CREATE OR REPLACE MACRO measure_bits_differ(a, b) AS coalesce(
    bits_field_differs(a, b, 0, 2047) OR bits_field_differs(a, b, 11, 2097151)
    OR bits_field_differs(a, b, 32, 2047) OR bits_field_differs(a, b, 43, 2047)
    OR bits_field_differs(a, b, 54, 511), false);
