"""The :class:`Claim` record: one checkable statement with its evidence.

:data:`CONTRACT` is the one definition of the claim's fields: their order in the
JSONL output of ``tradeclaims extract``, their types, and which are never null.
The warehouse's ``claims`` columns and their Arrow types are derived from it
(:mod:`warehouse.claim_columns`); the migrations' DDL (history, never edited),
``docs/claims-contract.md`` (what each field means) and the README are checked
against it by ``tests/test_claim_schema.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("money", "percent", "date", "period")
QUALIFIERS = ("exact", "approx", "at_least", "more_than", "at_most", "less_than", "range")
TOPICS = ("offset", "tariff", "procurement", "trade_value", "other")
# The types a contract field can have; "number_or_string" is a number for money and
# percent claims and an ISO string for dates and periods (the warehouse keeps both readings).
FIELD_TYPES = ("string", "integer", "number_or_string")


@dataclass(frozen=True)
class ContractField:
    """One field of the claim contract."""

    name: str
    type: str  # one of FIELD_TYPES
    required: bool = False  # never null


# In the order of the JSON output (and of the docs' table).
CONTRACT = (
    ContractField("source", "string"),
    ContractField("kind", "string", required=True),
    ContractField("text", "string", required=True),
    ContractField("start", "integer", required=True),
    ContractField("end", "integer", required=True),
    ContractField("page", "integer"),
    ContractField("sentence", "string"),
    ContractField("value", "number_or_string"),
    ContractField("low", "number_or_string"),
    ContractField("high", "number_or_string"),
    ContractField("unit", "string"),
    ContractField("qualifier", "string", required=True),
    ContractField("qualifier_text", "string"),
    ContractField("topic", "string"),
    ContractField("subject", "string"),
    ContractField("condition", "string"),
    ContractField("period", "string"),
    ContractField("rule", "string", required=True),
    ContractField("chapter", "string"),
    ContractField("section", "string"),
)
CONTRACT_FIELDS = tuple(f.name for f in CONTRACT)


@dataclass(slots=True)
class Claim:
    """One claim; ``text == document_text[start:end]`` always holds.

    Slotted: a document's claims are many (13,000 in a 542-page report), and without a
    ``__dict__`` each is one object for the garbage collector, not two, and smaller."""

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
    # What the rule that found it declares it to be (its record's ``form``, e.g.
    # ``fraction``); not part of the contract.
    form: str | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract fields, in contract order."""
        # Not dataclasses.asdict: it deep-copies every field, a quarter of `tradeclaims
        # extract`'s time on a claim-dense file; every contract field is a plain value.
        return {name: getattr(self, name) for name in CONTRACT_FIELDS}
