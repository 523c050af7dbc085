"""Shared fixtures: a fresh in-memory warehouse, and the demo corpus materialized once."""
from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from warehouse import store

ROOT = Path(__file__).resolve().parent.parent
DEMO_REGISTRY = ROOT / "registries" / "demo.toml"
# Our paraphrase of the article the project started from (tests/data/README.md says why).
SEED = ROOT / "tests" / "data" / "seed_article.txt"

# The tests' HTTP servers listen on 127.0.0.1 (pytest-httpserver names it "localhost").
# The fetcher refuses loopback addresses unless allowed, so fixtures allow these two
# hosts by name, explicitly: registries with a [fetch] table, fetchers with a policy.
LOCAL_TEST_HOSTS = ("localhost", "127.0.0.1")
FETCH_ALLOW_LOCAL_SERVERS = "[fetch]\nallow_hosts = [" + ", ".join(f'"{h}"' for h in LOCAL_TEST_HOSTS) + "]\n\n"


@pytest.fixture
def db():
    """A fresh in-memory warehouse at the newest schema."""
    con = store.connect(":memory:")
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The demo registry materialized through Dagster into a temporary data folder.

    Returns a dict with the settings, the instance and the run result.
    """
    from pipelines.resources import TradeclaimsConfig
    from pipelines.runner import materialize_registry

    data = tmp_path_factory.mktemp("demo-data")
    settings = TradeclaimsConfig(registry_path=str(DEMO_REGISTRY), data_dir=str(data),
                                 warehouse_path=str(data / "warehouse.duckdb"))
    instance = dg.DagsterInstance.ephemeral()
    result = materialize_registry(settings, instance)
    return {"settings": settings, "instance": instance, "result": result,
            "warehouse": Path(settings.warehouse_path)}


@pytest.fixture
def demo_copy(demo_run, tmp_path, monkeypatch):
    """The demo data folder (raw store, warehouse, evidence) copied, and made TRADECLAIMS_DATA:
    for tests that change it (the evidence commands write the warehouse and data/evidence/)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(Path(demo_run["settings"].data_dir), data, ignore=shutil.ignore_patterns("dagster", "staging"))
    monkeypatch.setenv("TRADECLAIMS_DATA", str(data))
    return data


@pytest.fixture
def seed_path() -> Path:
    """The facts of the article the project started from, in our own words (tests/data/seed_article.txt)."""
    return SEED
