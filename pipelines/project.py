"""Where the project lives: its root folder, data folder, registries and Dagster home.

No Dagster import here: the CLI's ``extract`` and ``query`` use this module too.
"""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# How many asset events Dagster may hand to the event log at once (a step's
# materializations, a run's planned events): pipelines/dagster_storage.py writes such a
# batch in one SQLite transaction instead of one commit per event and document.
EVENT_BATCH_SIZE = 1000


def project_root() -> Path:
    """The folder holding ``dagster.yaml`` and ``registries/``.

    ``TRADECLAIMS_HOME`` wins; else the nearest folder at or above the current
    one that has a ``dagster.yaml``; else the checkout this package was installed from.
    """
    if os.environ.get("TRADECLAIMS_HOME"):
        return Path(os.environ["TRADECLAIMS_HOME"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "dagster.yaml").is_file() and (folder / "registries").is_dir():
            return folder
    return _PACKAGE_ROOT


def default_registry() -> Path:
    """The demo registry, which runs offline."""
    return Path(os.environ.get("TRADECLAIMS_REGISTRY", project_root() / "registries" / "demo.toml"))


def data_dir() -> Path:
    """Raw store, staging files, Dagster storage and the warehouse live here."""
    return Path(os.environ.get("TRADECLAIMS_DATA", project_root() / "data"))


def default_warehouse() -> Path:
    """``data/warehouse.duckdb`` unless ``TRADECLAIMS_WAREHOUSE`` says otherwise."""
    return Path(os.environ.get("TRADECLAIMS_WAREHOUSE", data_dir() / "warehouse.duckdb"))


def use_project_dagster_home() -> Path:
    """Point ``DAGSTER_HOME`` at the project root, so that its ``dagster.yaml`` is read,
    and let Dagster hand asset events over in batches (:data:`EVENT_BATCH_SIZE`).

    The storage paths in ``dagster.yaml`` are relative to ``DAGSTER_HOME``
    (pipelines/dagster_storage.py); the process also works from the project root,
    so that relative paths of its own land there too.
    """
    root = project_root()
    os.environ.setdefault("DAGSTER_HOME", str(root))
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", str(EVENT_BATCH_SIZE))
    os.chdir(root)
    return Path(os.environ["DAGSTER_HOME"])
