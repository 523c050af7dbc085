"""The README's Limits table states the limits the code enforces (issue 14: say the limits)."""
from __future__ import annotations

import re
from inspect import signature

from extractors import bounded
from sources.fetch import Fetcher
from sources.local_files import MAX_DOCUMENT_BYTES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
LIMITS = README[README.index("### Limits"):README.index("### Pointing it at real sources")]


def test_the_size_cap_is_the_one_in_the_code():
    assert f"{MAX_DOCUMENT_BYTES:,} bytes" in LIMITS
    assert signature(Fetcher).parameters["max_bytes"].default == MAX_DOCUMENT_BYTES


def test_the_pdf_memory_and_time_limits_are_the_ones_in_the_code():
    assert bounded.PDF_MEMORY_LIMIT == 1024 ** 3 and "1 GiB of address space" in LIMITS
    assert re.search(rf"\| {bounded.PDF_TIME_LIMIT:g} s, then the child is stopped", LIMITS)


def test_the_fetch_deadline_is_the_one_in_the_code():
    deadline = signature(Fetcher).parameters["deadline"].default
    assert f"| {deadline:g} s in all, retries included" in LIMITS


def test_the_run_deadline_and_the_fetches_at_once_are_the_ones_in_the_code():
    from pipelines.steps import RUN_FETCH_DEADLINE
    from sources.fetch_many import MAX_CONCURRENCY, FetchLimits

    limits = FetchLimits()
    assert f"| time for all the fetches of one run | {RUN_FETCH_DEADLINE:g} s;" in LIMITS
    assert (f"| fetches at once | {limits.concurrency} in all, {limits.per_host} per host |" in LIMITS
            and f"(at most {MAX_CONCURRENCY})" in LIMITS)
