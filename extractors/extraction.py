"""The claim extraction pipeline: ``spacy.blank("en")`` plus tradeclaims' own components.

No trained spaCy pipeline can be downloaded here, and none is needed: claims are
found by rules. The pipeline is

    tokenizer (+ number-splitting rules) → tradeclaims_sentences_v1
      → tradeclaims_claims_ruler_v1 → tradeclaims_claim_context_v1

:func:`extract_claims` runs it over a :class:`~extractors.document.DocumentText`
and ties every claim to its evidence (page, chapter, section).
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata, resources
from typing import Iterator

import spacy
from spacy.language import Language

from extractors.claim import Claim

# Importing the modules registers their factories with spaCy.
from extractors.components import claim_context, claims_ruler, sentences  # noqa: F401
from extractors.components.claim_subject import NO_SUBJECT
from extractors.countries import code_for
from extractors.dates import as_date
from extractors.document import DocumentText
from extractors.tokenizer import TOKENIZER_CONFIG


def _fingerprint() -> str:
    """A short hash of the extractor's code and data (patterns, word lists).

    Part of :data:`EXTRACTOR_VERSION`, so that staged claims and loaded rows made by
    other rules are recognised as stale and extracted again. pycountry's version is
    part of it: the ISO 4217 currency lists come from it.
    """
    digest = hashlib.sha256()
    digest.update(metadata.version("pycountry").encode())
    package = resources.files("extractors")
    for path in sorted(_walk(package), key=lambda p: str(p)):
        digest.update(str(path).rsplit("extractors", 1)[-1].encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _walk(folder):
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name != "__pycache__":
            yield from _walk(entry)
        elif entry.name.endswith((".py", ".json", ".jsonl", ".tsv")):
            yield entry


EXTRACTOR_VERSION = f"tradeclaims-extractor/0.1.0+{_fingerprint()}"
# spaCy refuses texts over 1,000,000 characters (E088). Chunks are cut at paragraph
# breaks, which no claim crosses; smaller chunks also keep memory flat.
CHUNK_CHARS = 100_000
# Characters read past a chunk's cut: longer than any claim with its context.
CHUNK_OVERLAP = 400
_SURROGATE = re.compile("[\ud800-\udfff]")


def new_nlp() -> Language:
    """Build a new extraction pipeline (with its own, empty vocabulary)."""
    nlp = spacy.blank("en", config=TOKENIZER_CONFIG)
    nlp.add_pipe("tradeclaims_sentences_v1")
    nlp.add_pipe("tradeclaims_claims_ruler_v1")
    nlp.add_pipe("tradeclaims_claim_context_v1")
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """Return the process's shared extraction pipeline (built once).

    Once it is built, every object the process holds (spaCy's modules and the pipeline:
    some 100,000) is moved out of the cyclic garbage collector's sight (``gc.freeze``):
    they live as long as the process, yet each full collection, and the one Python runs
    at exit, walked them all again (0.15 s of CPU at the exit of `tradeclaims extract`).
    Frozen objects are still freed when nothing refers to them; only a reference cycle
    among them would never be collected.
    """
    nlp = new_nlp()
    gc.freeze()
    return nlp


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, chunk)`` pieces of at most ``limit`` characters.

    Cuts at the last paragraph break (``\\n\\n``) before the limit, else at the last
    line break, else at the last sentence end (". "), else at the last space, so
    that no claim is cut in two.
    """
    start = 0
    n = len(text)
    while start < n:
        if n - start <= limit:
            yield start, text[start:]
            return
        window = text[start:start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(sep)
            if cut > limit // 4:
                cut += len(sep)
                break
        if cut <= 0:
            cut = limit
        yield start, text[start:start + cut]
        start += cut


def extract_claims(document: DocumentText | str, source: str | None = None,
                   doc_date: str | dt.date | None = None, nlp: Language | None = None) -> list[Claim]:
    """Extract every claim of a document.

    Args:
        document: the parsed document, or plain text.
        source: the path or URL to record in each claim's ``source``.
        doc_date: the document date that resolves partial and relative dates;
            defaults to ``document.published``.
        nlp: a pipeline from :func:`new_nlp`; the shared one when None.
    Returns:
        the claims in text order, with offsets into the document's text.
    """
    if isinstance(document, str):
        document = DocumentText(text=document, media_type="txt")
    if doc_date is None:
        doc_date = document.published
    elif as_date(doc_date) is None:
        raise ValueError(f"{source or 'document'}: doc_date {doc_date!r} is not an ISO date (YYYY-MM-DD)")
    nlp = nlp or shared_nlp()
    with _cyclic_gc_paused():
        claims = _extract(document, nlp, doc_date)
    for claim in claims:
        _add_evidence(claim, document, source)
    _fill_subject_from_document(claims)
    for claim in claims:
        if claim.subject == NO_SUBJECT:
            claim.subject = None  # about a group of countries: no chapter or document fill
    return claims


@contextmanager
def _cyclic_gc_paused():
    """Pause Python's cyclic garbage collector while a document is extracted.

    Extraction makes tens of thousands of short-lived objects (spans, claims, lists)
    and no reference cycles (they are all freed by reference counting), yet their
    number alone triggers collections, and a full one walks every long-lived object
    of the process (spaCy's, pycountry's: about 90,000): 0.1 s in the middle of a 2 MB
    document, a tenth of its extraction. Collections resume afterwards (if they were on).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _extract(document: DocumentText, nlp: Language, doc_date) -> list[Claim]:
    """The claims of every chunk of the document's text, with offsets into the whole text."""
    # A lone surrogate (from a broken decoder) cannot be tokenized; the same-length
    # replacement keeps every offset, and claim texts are read from the original.
    text = _SURROGATE.sub("\ufffd", document.text)
    claims: list[Claim] = []
    for offset, chunk in chunk_text(text):
        # Read a little past the cut, so that a claim the cut fell into is seen whole;
        # the next chunk starts at the cut, so only claims that start before it count.
        window = text[offset:offset + len(chunk) + CHUNK_OVERLAP]
        doc = nlp.make_doc(window)
        doc._.doc_date = doc_date
        doc.user_data["text"] = window
        for _, component in nlp.pipeline:
            doc = component(doc)
        for claim in doc._.claims or []:
            if claim.start >= len(chunk):
                continue
            claim.start += offset
            claim.end += offset
            claim.text = document.text[claim.start:claim.end]
            claims.append(claim)
    return claims


def _fill_subject_from_document(claims: list[Claim]) -> None:
    """Give claims without a subject the country most of the document's claims name.

    A news story about Korea's offsets says "the rate is 30% for non-competitive
    bids" without naming Korea again; its subject is the story's. Only when one
    subject accounts for more than half of the claims that name one.
    """
    named = Counter(c.subject for c in claims if c.subject)
    if not named:
        return
    subject, count = named.most_common(1)[0]
    if count * 2 <= sum(named.values()):
        return
    for claim in claims:
        if claim.subject is None:
            claim.subject = subject


def _add_evidence(claim: Claim, document: DocumentText, source: str | None) -> None:
    claim.source = source
    claim.page = document.page_at(claim.start)
    span = document.section_at(claim.start)
    if span is not None:
        claim.chapter = span.chapter
        claim.section = span.section
        if span.section:
            claim.topic = claim_context.topic_in_section(claim.topic, claim_context.topic_of(span.section))
        if claim.subject is None and span.chapter:
            claim.subject = code_for(span.chapter)
