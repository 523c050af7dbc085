"""The settings of distributed mode, read from ``dagster-distributed.yaml``.

One file configures both sides: the workers (``tradeclaims workers start``) and the
runs that send them steps (``tradeclaims run --workers``). They must agree on the
broker and on the acknowledgement settings, so neither side has its own copy.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from pipelines import project

CONFIG_ENV = "TRADECLAIMS_CELERY_CONFIG"


class DistributedConfigError(ValueError):
    """The distributed settings file is missing or malformed (the message names it)."""


def config_path() -> Path:
    """``TRADECLAIMS_CELERY_CONFIG``, else ``dagster-distributed.yaml`` in the project root."""
    return Path(os.environ.get(CONFIG_ENV) or project.project_root() / "dagster-distributed.yaml")


def executor_config(path: Path | None = None) -> dict:
    """The ``execution.config`` block: broker, backend, config_source, retries."""
    path = path or config_path()
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except OSError as exc:
        raise DistributedConfigError(f"{path}: cannot read the distributed settings ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise DistributedConfigError(f"{path}: not valid YAML: {exc}") from None
    config = (data.get("execution") or {}).get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict) or not config.get("broker"):
        raise DistributedConfigError(f"{path}: needs an execution.config block with a broker URL")
    return config


def redis_address(config: dict) -> tuple[str, int]:
    """Host and port of the Redis server the broker URL names."""
    url = urlsplit(config["broker"])
    if url.scheme != "redis":
        raise DistributedConfigError(f"{config_path()}: the broker {config['broker']!r} is not a redis:// URL")
    return url.hostname or "127.0.0.1", url.port or 6379


def celery_app(path: Path | None = None):
    """A Celery client of the broker in the settings, made as dagster-celery makes its own."""
    from dagster_celery.executor import CeleryExecutor
    from dagster_celery.make_app import make_app

    config = executor_config(path)
    return make_app(CeleryExecutor.for_cli(broker=config["broker"], backend=config.get("backend"),
                                           include=config.get("include"),
                                           config_source=config.get("config_source")).app_args())
