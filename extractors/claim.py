"""The :class:`Claim` record: one checkable statement with its evidence.

Field meanings are documented in ``docs/claims-contract.md``; the JSONL output of
``tradeclaims extract`` and the ``claims`` table use exactly these names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("money", "percent", "date", "period")
QUALIFIERS = ("exact", "approx", "at_least", "more_than", "at_most", "less_than", "range")
TOPICS = ("offset", "tariff", "procurement", "trade_value", "other")

# Order of the fields in JSON output and in the warehouse table.
CONTRACT_FIELDS = (
    "source", "kind", "text", "start", "end", "page", "sentence", "value", "low", "high",
    "unit", "qualifier", "qualifier_text", "topic", "subject", "condition", "period", "rule",
    "chapter", "section",
)


@dataclass
class Claim:
    """One claim; ``text == document_text[start:end]`` always holds."""

    kind: str
    text: str
    start: int
    end: int
    rule: str
    value: Any = None
    low: Any = None
    high: Any = None
    unit: str | None = None
    qualifier: str = "exact"
    qualifier_text: str | None = None
    topic: str = "other"
    subject: str | None = None
    condition: str | None = None
    period: str | None = None
    sentence: str = ""
    source: str | None = None
    page: int | None = None
    chapter: str | None = None
    section: str | None = None
    # Token indexes of the span inside its spaCy Doc; not part of the contract.
    token_start: int = field(default=-1, repr=False)
    token_end: int = field(default=-1, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract fields, in contract order."""
        # Not dataclasses.asdict: it deep-copies every field, a quarter of `tradeclaims
        # extract`'s time on a claim-dense file; every contract field is a plain value.
        return {name: getattr(self, name) for name in CONTRACT_FIELDS}
