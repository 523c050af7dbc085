"""Every SQL example of the README's Warehouse section runs on the demo warehouse and returns rows."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from warehouse.query import run_query

README = Path(__file__).resolve().parent.parent / "README.md"


def warehouse_examples() -> list[tuple[str, str]]:
    """(title, sql) of each fenced ```sql block between '## Warehouse' and the next '## ' heading."""
    text = README.read_text("utf-8")
    start = text.index("\n## Warehouse\n")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end != -1 else None]
    examples = []
    for block in re.findall(r"```sql\n(.*?)```", section, re.DOTALL):
        lines = block.strip().splitlines()
        assert lines[0].startswith("-- "), f"an example needs a '-- title' line: {block!r}"
        examples.append((lines[0][3:].strip(), block.strip()))
    return examples


EXAMPLES = warehouse_examples()


def test_the_readme_has_at_least_eight_warehouse_examples():
    assert len(EXAMPLES) >= 8
    titles = " ".join(title.lower() for title, _ in EXAMPLES)
    for wanted in ("offset requirements by country", "korea", "news says vs what the report says"):
        assert wanted in titles


@pytest.mark.parametrize("title,sql", EXAMPLES, ids=[title for title, _ in EXAMPLES])
def test_readme_example_returns_rows(demo_run, title, sql):
    columns, rows = run_query(demo_run["warehouse"], sql)
    assert columns
    assert rows, f"README example {title!r} returned no rows on the demo warehouse"


def test_each_example_is_one_read_only_statement():
    import duckdb

    for title, sql in EXAMPLES:
        statements = duckdb.extract_statements(sql)
        assert [s.type for s in statements] == [duckdb.StatementType.SELECT], title
