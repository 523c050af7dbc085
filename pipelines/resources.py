"""The one resource every asset uses: where the registry, data and warehouse are."""

from pathlib import Path

import dagster as dg

from pipelines import project
from pipelines.steps import Staging
from sources.discovered import merge_discovered
from sources.registry import Registry, load_registry


class TradeclaimsConfig(dg.ConfigurableResource):
    """Paths of one tradeclaims deployment.

    Attributes:
        registry_path: the TOML registry whose sources are materialized.
        data_dir: raw store and staging files.
        warehouse_path: the DuckDB file.
    """

    registry_path: str
    data_dir: str
    warehouse_path: str

    @classmethod
    def from_environment(cls) -> "TradeclaimsConfig":
        """Defaults: the demo registry, ``data/`` and ``data/warehouse.duckdb`` (or the env vars)."""
        return cls(registry_path=str(project.default_registry()), data_dir=str(project.data_dir()),
                   warehouse_path=str(project.default_warehouse()))

    def registry(self) -> Registry:
        """The registry file's sources and feeds, plus the feed articles the news
        sensor discovered (``<data_dir>/discovered_sources.json``, see sources/discovered.py)."""
        return merge_discovered(load_registry(self.registry_path), self.data_dir)

    def staging(self) -> Staging:
        return Staging(Path(self.data_dir))
