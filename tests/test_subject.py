"""Subjects: from the sentence, else the report chapter, else the document's main subject."""
from __future__ import annotations

from extractors.document import DocumentText, SectionSpan
from extractors.extraction import extract_claims


def subjects(text, sections=()):
    doc = DocumentText(text=text, media_type="txt", sections=list(sections))
    return [(c.text, c.subject) for c in extract_claims(doc, "t")]


def test_a_sentence_without_a_country_takes_the_documents_subject():
    text = ("South Korea requires offsets of 30 percent on foreign contracts. "
            "Korean officials cut that share in 2024. "
            "The rate is 50 percent for competitive bids.")
    assert subjects(text)[-1] == ("50 percent", "KOR")


def test_no_document_subject_when_countries_are_mixed():
    text = "Japan set a 15% tariff. India set a 20% tariff. The average is 17.5% this year."
    assert dict(subjects(text))["17.5%"] is None


def test_chapter_gives_the_subject_before_the_document_does():
    text = "TURKEY\n\nThe offset requirement is 50 percent of the contract value."
    sections = [SectionSpan(8, len(text), "Turkey", "Defense Offsets")]
    assert subjects(text, sections) == [("50 percent", "TUR")]


def test_the_us_named_as_a_modifier_passes_no_subject_on_so_the_chapter_gives_it():
    # The 2024 demo Korea chapter: "U.S. defense firms report …" before a sentence naming no country.
    text = ("REPUBLIC OF KOREA\n\nU.S. defense firms report that offset rules raise their costs. "
            "Offset credit multipliers can reach up to 300 percent of the value of the technology.")
    sections = [SectionSpan(19, len(text), "Republic of Korea", "Defense Offsets")]
    assert dict(subjects(text, sections))["300 percent"] == "KOR"
