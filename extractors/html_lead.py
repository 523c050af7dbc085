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


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _names(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _candidate_text(element: HtmlElement) -> str | None:
    if any(a.tag in _NOT_LEAD_TAGS or _NOT_LEAD_NAME.search(_names(a))
           for a in (element, *element.iterancestors())):
        return None
    text = clean_text(element.text_content())
    if not _MIN <= len(text) <= _MAX:
        return None
    links = sum(len(clean_text(a.text_content())) for a in element.iter("a"))
    return text if links <= _MAX_LINK_SHARE * len(text) else None


def find_lead(tree: HtmlElement, headline: HtmlElement | None, description: str | None) -> str | None:
    """The lead paragraph's text after ``headline`` (or from the top), or None (see the module docstring)."""
    desc = _norm(description or "")
    desc = desc if len(desc) >= _DESCRIPTION_PREFIX else ""
    started = headline is None
    seen = 0
    by_name = None
    for element in tree.iter():
        if element is headline:
            started = True
            continue
        if not started or not isinstance(element.tag, str):
            continue
        seen += 1
        if seen > _LOOK_AHEAD:
            break
        text = _candidate_text(element)
        if text is None:
            continue
        normed = _norm(text)
        if desc and (normed.startswith(desc[:_DESCRIPTION_PREFIX]) or desc.startswith(normed[:_DESCRIPTION_PREFIX])) \
                and len(normed) <= 2 * len(desc) + 100:
            return text
        if by_name is None and _LEAD_NAME.search(_names(element)):
            by_name = text
    return by_name
