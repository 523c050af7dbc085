-- 012: how long each fetch took in all (attempts, waits between them and the body), so
-- that a slow or silent source shows in the fetch log (sources/fetch.py FetchResult.seconds).
ALTER TABLE fetches ADD COLUMN seconds DOUBLE;
