"""The staged steps: parallel parse/extract gives what sequential does; reuse skips work."""
from __future__ import annotations

import shutil

from pipelines import steps
from sources.registry import load_registry
from tests.conftest import DEMO_REGISTRY


def fetch_demo(data_dir):
    staging = steps.Staging(data_dir)
    registry = load_registry(DEMO_REGISTRY)
    with staging.fetcher() as fetcher:
        for source in registry.sources:
            steps.fetch_source(staging, source, fetcher)
    return staging, [s.id for s in registry.sources]


def staged_claims(staging, keys):
    out = {}
    for key in keys:
        sha = steps.read_json(staging.manifest(key))["sha256"]
        out[key] = steps.read_json(staging.claims(sha))["claims"]
    return out


def test_parallel_stages_match_sequential(tmp_path, monkeypatch):
    sequential, keys = fetch_demo(tmp_path / "seq")
    steps.run_stage(sequential, "parse", keys, workers=1)
    steps.run_stage(sequential, "extract", keys, workers=1)

    parallel, _ = fetch_demo(tmp_path / "par")
    monkeypatch.setattr(steps, "PARALLEL_MIN_DOCUMENTS", 2)
    monkeypatch.setattr(steps, "PARALLEL_MIN_BYTES", 0)
    parsed = steps.run_stage(parallel, "parse", keys, workers=2)
    extracted = steps.run_stage(parallel, "extract", keys, workers=2)

    assert all(r is not None and not r["reused"] for r in parsed.values())
    assert sum(r["claims"] for r in extracted.values()) > 100
    assert staged_claims(parallel, keys) == staged_claims(sequential, keys)


def test_second_pass_reuses_everything(tmp_path):
    staging, keys = fetch_demo(tmp_path)
    steps.run_stage(staging, "parse", keys)
    steps.run_stage(staging, "extract", keys)
    again = steps.run_stage(staging, "extract", keys)
    assert all(r["reused"] for r in again.values())
    assert all(r["reused"] for r in steps.run_stage(staging, "parse", keys).values())


def test_removed_staged_text_is_parsed_again(tmp_path):
    staging, keys = fetch_demo(tmp_path)
    steps.run_stage(staging, "parse", keys)
    shutil.rmtree(staging.root / "text")
    result = steps.run_stage(staging, "parse", keys[:1])
    assert result[keys[0]]["reused"] is False
