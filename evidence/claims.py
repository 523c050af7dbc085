"""Snapshots of warehouse claims: look the claim up, read its document from the raw store,
render it (:mod:`evidence.snapshot`), store the PNG content-addressed.

The warehouse has what a snapshot needs besides the raw PDF: the claim's offsets, page
and sentence, and the page's span of the document text (``pages``). The sentence's own
offset is not stored; it is where the claim's text (and every other claim of the same
sentence) stands in it (:func:`sentence_start`). The document text itself is not needed:
the PDF is read again, one page per claim.

Errors (:class:`EvidenceError`) name the claim and the problem: an unknown claim id, a
document no longer in the raw store, a claim whose characters are not on its page.
"""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pypdfium2 as pdfium

from evidence.page_chars import PageChars
from evidence.snapshot import PageImage, Snapshot, SnapshotError, render_pdf_claim, render_text_claim, text_lines
from sources.atomic_write import write_atomically
from sources.rawstore import RawStore, sha256_hex

# Changes whenever a change to the rendering changes the pictures (stored with each row).
RENDERER = "evidence/1"
EVIDENCE_FOLDER = "evidence"


class EvidenceError(Exception):
    """A claim whose evidence cannot be shown; the message names the claim and the problem."""


@dataclass
class ClaimRow:
    """What rendering a claim needs, from the warehouse."""

    claim_id: str
    document_id: str
    doc_key: str
    kind: str
    text: str
    start: int
    end: int
    page: int | None
    sentence: str
    sha256: str
    media_type: str
    title: str | None
    page_start: int | None
    page_end: int | None
    siblings: list[tuple[str, int, int]] = field(default_factory=list)  # the sentence's claims

    @property
    def sentence_start(self) -> int:
        return sentence_start(self.sentence, self.text, self.start, self.siblings)


def sentence_start(sentence: str, text: str, start: int, siblings: list[tuple[str, int, int]]) -> int:
    """Document offset where ``sentence`` starts, given that the claim ``text`` stands at ``start``.

    When the claim's text stands in the sentence more than once, the place where the
    sentence's other claims (``siblings``: text, start, end) stand too wins.
    """
    best: tuple[int, int, int] | None = None
    at = sentence.find(text)
    while at >= 0:
        begin = start - at
        inside = [(t, a, b) for t, a, b in siblings if begin <= a and b <= begin + len(sentence)]
        wrong = sum(sentence[a - begin:b - begin] != t for t, a, b in inside)
        score = (wrong, -(len(inside) - wrong), begin)
        if best is None or score < best:
            best = score
        at = sentence.find(text, at + 1)
    if best is None:  # the contract says the sentence holds the claim's text
        raise EvidenceError(f"claim {text!r}: its text is not in its sentence")
    return best[2]


_CLAIMS_SQL = """
WITH wanted AS (SELECT * FROM claims WHERE claim_id IN (SELECT unnest(?::VARCHAR[])))
SELECT w.claim_id, w.document_id, w.doc_key, w.kind, w.text, w.start_offset, w.end_offset, w.page,
       coalesce(w.sentence, w.text), d.sha256, d.media_type, d.title, p.start_offset, p.end_offset,
       (SELECT list({'t': s.text, 'a': s.start_offset, 'b': s.end_offset}) FROM claims s
        WHERE s.document_id = w.document_id AND s.sentence = w.sentence)
FROM wanted w
JOIN documents d USING (document_id)
LEFT JOIN pages p ON p.document_id = w.document_id AND p.page = w.page
"""


def claim_rows(con: duckdb.DuckDBPyConnection, claim_ids: list[str]) -> dict[str, ClaimRow]:
    """The rows of ``claim_ids`` that exist (a missing id is simply absent)."""
    rows = con.execute(_CLAIMS_SQL, [list(claim_ids)]).fetchall()
    out = {}
    for row in rows:
        siblings = [(s["t"], s["a"], s["b"]) for s in (row[14] or [])]
        out[row[0]] = ClaimRow(*row[:14], siblings=siblings)
    return out


def claim_row(con: duckdb.DuckDBPyConnection, claim_id: str, warehouse: str | Path) -> ClaimRow:
    """The row of one claim; an unknown id is an :class:`EvidenceError` naming it."""
    found = claim_rows(con, [claim_id]).get(claim_id)
    if found is None:
        raise EvidenceError(f"claim {claim_id!r}: no such claim in {warehouse}")
    return found


class Renderer:
    """Renders claims, keeping the last few PDFs and their pages open between claims
    (the claims of one page share one reading of its characters)."""

    def __init__(self, raw: RawStore, documents: int = 4):
        self.raw = raw
        self._documents: OrderedDict[str, pdfium.PdfDocument] = OrderedDict()
        self._pages: OrderedDict[tuple[str, int], tuple] = OrderedDict()
        self._limit = documents

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for page, textpage, *_ in self._pages.values():
            textpage.close()
            page.close()
        self._pages.clear()
        for document in self._documents.values():
            document.close()
        self._documents.clear()

    def _document(self, row: ClaimRow) -> pdfium.PdfDocument:
        if row.sha256 in self._documents:
            self._documents.move_to_end(row.sha256)
            return self._documents[row.sha256]
        try:
            data = self.raw.get(row.sha256)
        except KeyError:
            raise EvidenceError(
                f"claim {row.claim_id!r}: its document {row.doc_key} (sha256 {row.sha256[:16]}…) is no longer in "
                f"the raw store {self.raw.root}; `tradeclaims run` fetches it again") from None
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise EvidenceError(f"claim {row.claim_id!r}: pdfium cannot open its document {row.doc_key}: {exc}") from None
        self._documents[row.sha256] = document
        if len(self._documents) > self._limit:
            sha, old = self._documents.popitem(last=False)
            for key in [k for k in self._pages if k[0] == sha]:
                page, textpage, *_ = self._pages.pop(key)
                textpage.close()
                page.close()
            old.close()
        return document

    def _page(self, row: ClaimRow) -> tuple:
        key = (row.sha256, row.page)
        if key in self._pages:
            self._pages.move_to_end(key)
            return self._pages[key]
        document = self._document(row)
        if not 1 <= row.page <= len(document):
            raise EvidenceError(f"claim {row.claim_id!r}: its page {row.page} is not in {row.doc_key} "
                                f"({len(document)} pages)")
        page = document[row.page - 1]
        textpage = page.get_textpage()
        # the page's characters and its rendering, shared by the claims of the page
        self._pages[key] = (page, textpage, PageChars.read(textpage), PageImage.render(page), text_lines(textpage))
        if len(self._pages) > 8:
            _, (old_page, old_text, *_) = self._pages.popitem(last=False)
            old_text.close()
            old_page.close()
        return self._pages[key]

    def render(self, row: ClaimRow) -> Snapshot:
        """The snapshot of one claim (see :mod:`evidence.snapshot`)."""
        begin = row.sentence_start
        if row.media_type == "pdf" and row.page is not None:
            page, textpage, chars, image, lines = self._page(row)
            page_start = row.page_start if row.page_start is not None else begin
            page_end = row.page_end if row.page_end is not None else begin + len(row.sentence)
            try:
                return render_pdf_claim(page, textpage, chars, row.sentence, begin, row.start, row.end,
                                        row.page, page_start, page_end, image, lines)
            except SnapshotError as exc:
                raise EvidenceError(f"claim {row.claim_id!r}: {exc}") from None
        caption = row.title or row.doc_key
        return render_text_claim(row.sentence, row.start - begin, row.end - begin, caption=caption)


def evidence_store(data_dir: str | Path) -> RawStore:
    """Where snapshots are kept: ``<data>/evidence/<sha256[:2]>/<sha256>.png``."""
    return RawStore(Path(data_dir) / EVIDENCE_FOLDER, suffix=".png")


def relative_path(data_dir: str | Path, path: Path) -> str:
    return Path(path).relative_to(Path(data_dir)).as_posix()


def evidence_row(claim_id: str, snapshot: Snapshot, sha256: str, path: str) -> dict:
    """The ``evidence`` row of a stored snapshot (migration 008)."""
    x0, y0, x1, y1 = snapshot.box
    return {"claim_id": claim_id, "path": path, "sha256": sha256, "page": snapshot.page,
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "units": snapshot.units, "width": snapshot.width,
            "height": snapshot.height, "renderer": RENDERER, "created_at": dt.datetime.now()}


def store_snapshots(warehouse: str | Path, data_dir: str | Path, snapshots: list[tuple[str, Snapshot]],
                    wait_seconds: float) -> list[dict]:
    """Store each snapshot's PNG under ``<data>/evidence/`` and list it in the ``evidence`` table.

    Through the warehouse's single writer (a copy swapped in when done): when it cannot
    be had within ``wait_seconds`` (:class:`warehouse.store.WarehouseBusy`), or the
    load fails, no PNG that this call added is left behind.

    Returns:
        the ``evidence`` rows written.
    """
    from warehouse import store

    blobs = evidence_store(data_dir)
    added: list[Path] = []
    rows = []
    try:
        with store.writer(warehouse, wait_seconds=wait_seconds) as con:
            for claim_id, snapshot in snapshots:
                digest = sha256_hex(snapshot.png)
                path = blobs.path_for(digest)
                if not path.exists():
                    blobs.put(snapshot.png)
                    added.append(path)
                rows.append(evidence_row(claim_id, snapshot, digest, relative_path(data_dir, path)))
            store.record_evidence(con, rows)
    except BaseException:
        for path in added:
            path.unlink(missing_ok=True)
        raise
    return rows


def stored_snapshots(con: duckdb.DuckDBPyConnection, data_dir: str | Path, claim_ids: list[str]) -> dict[str, bytes]:
    """The PNGs stored for ``claim_ids`` by the current renderer (absent: none yet, or its file is gone)."""
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'evidence'").fetchall()[0][0]:
        return {}  # a warehouse from before migration 008
    found = con.execute("SELECT claim_id, path, sha256 FROM evidence WHERE renderer = ?"
                        " AND claim_id IN (SELECT unnest(?::VARCHAR[]))", [RENDERER, list(claim_ids)]).fetchall()
    out = {}
    for claim_id, path, digest in found:
        try:
            data = (Path(data_dir) / path).read_bytes()
        except OSError:
            continue
        if sha256_hex(data) == digest:
            out[claim_id] = data
    return out


def snapshot_to_file(warehouse: str | Path, data_dir: str | Path, claim_id: str, output: str | Path,
                     wait_seconds: float = 3.0) -> dict:
    """``tradeclaims evidence``: render one claim, store it (PNG and ``evidence`` row), copy it to ``output``.

    Every check comes before anything is written: the output path (never the warehouse
    or another DuckDB file), the claim, its document in the raw store, the rendering,
    and the writer; ``output`` is written last, atomically.

    Returns:
        the claim's ``evidence`` row.
    Raises:
        EvidenceError, warehouse.store.WarehouseBusy, FileNotFoundError (no warehouse),
        warehouse.query.QueryRefused (a refused output path).
    """
    from warehouse import store
    from warehouse.query import check_output

    output = check_output(warehouse, output)
    con = store.connect(warehouse, read_only=True, wait_seconds=wait_seconds)
    try:
        row = claim_row(con, claim_id, warehouse)
    finally:
        con.close()
    with Renderer(RawStore(Path(data_dir) / "raw")) as renderer:
        snapshot = renderer.render(row)
    written, = store_snapshots(warehouse, data_dir, [(claim_id, snapshot)], wait_seconds)
    write_atomically(output, snapshot.png)
    return written


TOP_PER_DOCUMENT = 3
_TOP_SQL = """
SELECT doc_key, claim_id, kind, text, page, topic FROM (
    SELECT c.*, row_number() OVER (PARTITION BY c.doc_key ORDER BY c.topic IS DISTINCT FROM 'offset',
                                   c.kind NOT IN ('money', 'percent'), c.start_offset) AS n
    FROM claims c JOIN latest_documents d USING (document_id)
    WHERE c.doc_key IN (SELECT unnest(?::VARCHAR[])))
WHERE n <= ? ORDER BY doc_key, n
"""


@dataclass
class Shown:
    """A document's claim and its stored snapshot (``evidence_snapshots``)."""

    doc_key: str
    claim_id: str
    kind: str
    text: str
    page: int | None
    topic: str | None
    path: Path
    png: bytes
    new: bool


def snapshot_documents(warehouse: str | Path, data_dir: str | Path, doc_keys: list[str],
                       per_document: int = TOP_PER_DOCUMENT,
                       wait_seconds: float = 600.0) -> tuple[list[Shown], dict[str, str]]:
    """Snapshots of the top claims of each document (offset money and rates first, then other
    money and rates, then the rest, in text order), rendered where none is stored yet.

    A claim that cannot be shown (its document gone from the raw store) is that
    claim's error, named in the returned ``errors`` (claim id -> message); the others
    are still shown. New snapshots are stored in one writer step; none, none.
    """
    from warehouse import store

    con = store.connect(warehouse, read_only=True, wait_seconds=wait_seconds)
    try:
        top = con.execute(_TOP_SQL, [list(doc_keys), per_document]).fetchall()
        stored = stored_snapshots(con, data_dir, [claim_id for _, claim_id, *_ in top])
        rows = claim_rows(con, [claim_id for _, claim_id, *_ in top if claim_id not in stored])
    finally:
        con.close()
    errors: dict[str, str] = {}
    rendered: dict[str, Snapshot] = {}
    with Renderer(RawStore(Path(data_dir) / "raw")) as renderer:
        for claim_id, row in rows.items():
            try:
                rendered[claim_id] = renderer.render(row)
            except EvidenceError as exc:
                errors[claim_id] = str(exc)
    written = {row["claim_id"]: row for row in
               store_snapshots(warehouse, data_dir, list(rendered.items()), wait_seconds)} if rendered else {}
    blobs = evidence_store(data_dir)
    shown = []
    for doc_key, claim_id, kind, text, page, topic in top:
        png = stored.get(claim_id) or (rendered[claim_id].png if claim_id in rendered else None)
        if png is None:
            continue
        path = Path(data_dir) / written[claim_id]["path"] if claim_id in written else blobs.path_for(sha256_hex(png))
        shown.append(Shown(doc_key, claim_id, kind, text, page, topic, path, png, claim_id in written))
    return shown, errors
