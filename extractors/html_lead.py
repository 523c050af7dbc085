"""The article's lead (standfirst): the summary paragraph right after the headline.

trafilatura leaves it out on many news pages, because it sits in the article's
``<header>`` or in a block named like a teaser; on trafilatura's evaluation pages it is
the largest single group of article text it misses. :func:`find_lead` returns the first
element after the headline (within the next 200 elements) whose text

- begins like the page's meta description (the publisher's own summary, where it stands
  on the page), or else
- sits in an element whose class or id names a lead: ``lead``, ``intro``, ``teaser``,
  ``standfirst``, ``summary``, ``preface``, ``chapo``, ``dek``, ``deck``, ``excerpt``,
  ``subtitle``, ``subline``, ``abstract``, ``description``, ``kicker``;

with 40 to 1,500 characters, under 30 % of it link text, and neither it nor an ancestor
a link, list, figure, form, navigation, aside or footer, or named for an author, a
newsletter, comments, a sidebar, a widget, related or recommended stories.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

from extractors.html_metadata import clean_text

__all__ = ["find_lead"]

_LEAD_NAME = re.compile(
    r"(?:^|[-_\s])(?:lead|intro|teaser|standfirst|summary|preface|chapo|dek|deck|excerpt"
    r"|subtitle|subline|abstract|description|kicker)(?:$|[-_\s])", re.IGNORECASE)
_NOT_LEAD_NAME = re.compile(
    r"author|bio(?:$|[-_\s])|newsletter|comment|sidebar|widget|related|footer|subscri|about"
    r"|profile|promo|teasers|teaser-list|more|recommend", re.IGNORECASE)
_NOT_LEAD_TAGS = {"script", "style", "nav", "footer", "aside", "form", "a", "li", "ul", "ol",
                  "figure", "figcaption", "button", "noscript", "template"}
_LOOK_AHEAD = 200  # elements after the headline
_MIN, _MAX = 40, 1500  # characters
_MAX_LINK_SHARE = 0.3
_DESCRIPTION_PREFIX = 40  # characters that must match the meta description
_PEEK = 3 * _DESCRIPTION_PREFIX  # characters of a text piece read to rule an element out


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _names(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _opening(element: HtmlElement, size: int) -> str:
    """The first ``size`` characters of ``element``'s text, whitespace-normalized, read lazily."""
    parts: list[str] = []
    length = 0
    for chunk in element.itertext():
        parts.append(chunk)
        length += len(chunk)
        if length > 3 * size:
            break
    return clean_text("".join(parts))[:size]


def _may_open(element: HtmlElement, desc: str) -> bool:
    """False when ``element``'s first piece of text already differs from ``desc``.

    The opening of an element starts with its first non-blank text piece, whitespace-
    normalized, so most elements are ruled out without joining their text.
    """
    for chunk in element.itertext():
        # the head of a chunk is enough (a chunk may be a whole script); whitespace-only
        # heads of longer chunks are read in full
        first = clean_text(chunk[:_PEEK])
        if not first and len(chunk) > _PEEK:
            first = clean_text(chunk)
        if first:
            first = first[:_DESCRIPTION_PREFIX]
            return desc.startswith(first)
    return False


def _lead_text(element: HtmlElement) -> str | None:
    """``element``'s text when it may be a lead (length, links, where it sits), else None."""
    if any(a.tag in _NOT_LEAD_TAGS or _NOT_LEAD_NAME.search(_names(a)) for a in (element, *element.iterancestors())):
        return None
    text = clean_text(element.text_content())
    if not _MIN <= len(text) <= _MAX:
        return None
    links = sum(len(clean_text(a.text_content())) for a in element.iter("a"))
    return text if links <= _MAX_LINK_SHARE * len(text) else None


def find_lead(tree: HtmlElement, headline: HtmlElement | None, description: str | None) -> str | None:
    """The lead paragraph's text after ``headline`` (or from the top), or None (see the module docstring)."""
    desc = _norm(description or "")
    prefix = desc[:_DESCRIPTION_PREFIX] if len(desc) >= _DESCRIPTION_PREFIX else None
    after = tree.iter() if headline is None else _following(headline)
    by_name = None
    for seen, element in enumerate(after):
        if seen >= _LOOK_AHEAD:
            break
        if not isinstance(element.tag, str) or element.tag in _NOT_LEAD_TAGS:
            continue
        named = by_name is None and _LEAD_NAME.search(_names(element))
        if prefix is not None and _may_open(element, desc):
            opening = _opening(element, _DESCRIPTION_PREFIX)
            if len(opening) >= _MIN and (opening == prefix or desc.startswith(opening)):
                text = _lead_text(element)
                if text is not None and len(_norm(text)) <= 2 * len(desc) + 100:
                    return text
        if named:
            by_name = _lead_text(element)
    return by_name


def _following(element: HtmlElement):
    """The elements after ``element`` in document order (not its descendants)."""
    for ancestor in (element, *element.iterancestors()):
        for sibling in ancestor.itersiblings():
            yield from sibling.iter()
