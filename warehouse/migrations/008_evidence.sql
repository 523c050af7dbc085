-- 008: evidence snapshots. One row per claim that has a snapshot (`tradeclaims evidence`,
-- the `evidence_snapshots` asset): the PNG of its region of the page (PDF) or of its
-- sentence (HTML, TXT), stored content-addressed under the data folder. Adds only.
CREATE TABLE evidence (
    claim_id   VARCHAR PRIMARY KEY,  -- claims.claim_id
    path       VARCHAR NOT NULL,     -- the PNG, relative to the data folder: evidence/<sha256[:2]>/<sha256>.png
    sha256     VARCHAR NOT NULL,     -- of the PNG's bytes (its name)
    page       INTEGER,              -- the page shown (PDF), else NULL
    x0         DOUBLE,               -- the claim's box: for PDF claims in PDF points on the page
    y0         DOUBLE,               --   (origin bottom-left, as pdfium gives it: y0 bottom, y1 top);
    x1         DOUBLE,               --   for HTML/TXT claims in pixels of the image
    y1         DOUBLE,               --   (origin top-left: y0 top, y1 bottom); `units` says which
    units      VARCHAR NOT NULL,     -- 'pt' (PDF page) | 'px' (image)
    width      INTEGER NOT NULL,     -- of the PNG, in pixels
    height     INTEGER NOT NULL,
    renderer   VARCHAR NOT NULL,     -- evidence.claims.RENDERER: the rendering that made it
    created_at TIMESTAMP NOT NULL
);
