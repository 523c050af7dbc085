"""From a claim's offsets in the document text back to the characters pdfium reads on its page.

The PDF parser (``extractors/pdf_text.py`` with ``extractors/pdf_layout.py``) builds
the document text from *pieces*: runs of characters that one text object drew on one
line, each a contiguous range of pdfium's character indices. On the way it drops
characters (running headers and footers, page numbers, superscript footnote markers,
dot leaders, pdfium's generated spaces and line ends, hyphens at line ends), changes
some (ligatures become letters, runs of blanks one space, a kept line-end hyphen
becomes ``-``) and puts the pieces in reading order (columns one after the other,
footnotes after the paragraph, a paragraph continued from the previous column or
page joined to it). What it never does is reorder the characters *within* a piece.

So the text of a sentence, read without blanks and hyphens (its *keys*, :func:`keyed`),
is a concatenation of stretches of the page's characters read the same way, each
stretch (a part of) one piece. :func:`align` finds them greedily: the longest prefix of
what is left of the sentence that occurs among the page's keys, at the occurrence
nearest to where the previous stretch ended (the next line of the column, the top
of the next column). The claim's characters are the page characters its keys landed
on, and pdfium gives each one's box.

Why not carry a character map through the parser instead: it would cost every parse
(1.8 million characters for the 542-page benchmark report, an index each, through a
dozen string steps that would all have to keep it exact) for the few claims a person
looks at; reading one page's characters again costs milliseconds per claim.

Where it can go wrong: a sentence whose text stands twice on the same page (the
nearest occurrence wins, the first for the sentence's first stretch when both are
alike), and text drawn out of reading order inside one text object. ``Located.missing``
counts the claim's keys that were not found on the page (a claim running onto the
next page has its rest there).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# The parser's own character rules: what it translates (ligatures, odd blanks) and the
# hyphen marks it drops or rejoins at line ends.
from extractors.pdf_text import _HYPHEN_MARKS, _LIGATURES

__all__ = ["Located", "PageChars", "align", "keyed", "line_boxes", "locate"]

# What keys leave out: blanks of any kind and the hyphen marks.
_DROPPED = re.compile(r"[\s" + re.escape("".join(_HYPHEN_MARKS)) + "]")
_KEPT = re.compile(r"[^\s" + re.escape("".join(_HYPHEN_MARKS)) + "]")
# Characters the parser translates (ligatures to letters, odd blanks to a space, some deleted).
_TRANSLATED = re.compile("[" + re.escape("".join(chr(c) for c in _LIGATURES)) + "]")


def keyed(text: str, base: int = 0) -> tuple[str, list[int]]:
    """The keys of ``text`` (no blanks, no hyphens, ligatures spelled out) and, for each,
    the position in ``text`` (plus ``base``) of the character it comes from."""
    if not _TRANSLATED.search(text):  # most pages: one regular-expression pass each way
        return _DROPPED.sub("", text), [m.start() + base for m in _KEPT.finditer(text)]
    keys: list[str] = []
    owners: list[int] = []
    for i, ch in enumerate(text):
        for k in ch.translate(_LIGATURES):
            if _DROPPED.match(k):
                continue
            keys.append(k)
            owners.append(base + i)
    return "".join(keys), owners


@dataclass
class PageChars:
    """The keys of one page's characters in pdfium's order, and the character index of each."""

    keys: str
    owners: list[int]

    @classmethod
    def read(cls, textpage: pdfium.PdfTextPage) -> "PageChars":
        count = textpage.count_chars()
        if count <= 0:
            return cls("", [])
        text = textpage.get_text_range(0, count)
        if len(text) != count:
            # characters outside the BMP count twice in the text: read them one by one
            raw = textpage.raw
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(count))
        keys, owners = keyed(text)
        return cls(keys, owners)


def _longest_prefix(page: str, target: str, start: int) -> int:
    """Length of the longest ``target[start:start + n]`` that occurs in ``page``."""
    lo, hi = 0, len(target) - start
    while lo < hi:  # every prefix of a string that occurs occurs too
        mid = (lo + hi + 1) // 2
        if target[start:start + mid] in page:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _occurrences(page: str, piece: str, limit: int = 64) -> list[int]:
    found = []
    at = page.find(piece)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = page.find(piece, at + 1)
    return found


def _nearest(candidates: list[int], after: int) -> int:
    # the next line (forward) beats a jump back by as much (a column's top)
    return min(candidates, key=lambda p: (abs(p - after), p < after))


def _greedy(page: str, target: str, first: int, first_length: int) -> tuple[list[int], int]:
    """Page key position of each target key (-1: not on the page), and the jumps' total length."""
    placed = [-1] * len(target)
    for k in range(first_length):
        placed[k] = first + k
    i, end, cost = first_length, first + first_length, 0
    while i < len(target):
        length = _longest_prefix(page, target, i)
        if length == 0:
            i += 1  # a character the page does not hold
            continue
        at = _nearest(_occurrences(page, target[i:i + length]), end)
        cost += abs(at - end)
        for k in range(length):
            placed[i + k] = at + k
        i, end = i + length, at + length
    return placed, cost


def align(page: str, target: str) -> list[int]:
    """For each key of ``target`` (a sentence's keys), its position among ``page``'s keys, or -1.

    The first stretch has no previous one to be near: each of its occurrences is
    tried and the alignment whose later stretches jump least wins.
    """
    start = 0
    while start < len(target):
        length = _longest_prefix(page, target, start)
        if length:
            break
        start += 1
    else:
        return [-1] * len(target)
    best: tuple[list[int], int] | None = None
    for at in _occurrences(page, target[start:start + length], limit=16):
        placed, cost = _greedy(page, target[start:], at, length)
        if best is None or cost < best[1]:
            best = (placed, cost)
    return [-1] * start + best[0]


@dataclass(frozen=True)
class Located:
    """Where a claim and its sentence are among a page's characters (pdfium indices, text order)."""

    claim: list[int]
    context: list[int]
    missing: int  # the claim's keys not found on this page


def locate(page: PageChars, sentence: str, sentence_start: int, claim_start: int, claim_end: int,
           page_start: int, page_end: int) -> Located:
    """Find the claim ``[claim_start, claim_end)`` of ``sentence`` (which starts at document
    offset ``sentence_start``) among ``page``'s characters.

    Only the part of the sentence that the parser took from this page (document
    offsets ``[page_start, page_end)``, the ``pages`` table) is looked for.
    """
    lo = max(sentence_start, page_start)
    hi = min(sentence_start + len(sentence), page_end)
    target, offsets = keyed(sentence[lo - sentence_start:max(hi - sentence_start, 0)], base=lo)
    placed = align(page.keys, target)
    claim: list[int] = []
    context: list[int] = []
    missing = 0
    for offset, at in zip(offsets, placed):
        inside = claim_start <= offset < claim_end
        if at < 0:
            missing += inside
            continue
        index = page.owners[at]
        context.append(index)
        if inside:
            claim.append(index)
    # keys of the claim outside this page's part of the sentence (it runs onto the next page)
    missing += len(keyed(sentence[max(claim_start, hi) - sentence_start:claim_end - sentence_start])[0]) \
        if claim_end > hi else 0
    return Located(claim=claim, context=context, missing=missing)


Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


def char_boxes(textpage: pdfium.PdfTextPage, indices: list[int], loose: bool = False) -> list[Box]:
    """pdfium's box of each character (tight: the glyph's ink; loose: the font's full height)."""
    boxes = []
    for index in indices:
        try:
            boxes.append(textpage.get_charbox(index, loose=loose))
        except pdfium.PdfiumError:
            continue
    return boxes


def line_boxes(boxes: list[Box]) -> list[Box]:
    """Boxes of characters in text order merged into one box per line they stand on."""
    lines: list[list[float]] = []
    for left, bottom, right, top in boxes:
        if lines:
            last = lines[-1]
            overlap = min(top, last[3]) - max(bottom, last[1])
            height = min(top - bottom, last[3] - last[1]) or 1.0
            if overlap >= 0.5 * height and left >= last[0] - 1.0:
                last[0], last[1] = min(last[0], left), min(last[1], bottom)
                last[2], last[3] = max(last[2], right), max(last[3], top)
                continue
        lines.append([left, bottom, right, top])
    return [tuple(line) for line in lines]


def union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
