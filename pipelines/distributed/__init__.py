"""Distributed mode: per-document steps on Celery workers through dagster-celery.

* ``config`` reads ``dagster-distributed.yaml`` (the celery executor's run config);
* ``app`` is the Celery app the workers run (``celery -A pipelines.distributed.app``);
* ``job`` is the Dagster job whose per-batch steps the workers execute;
* ``workers`` starts and stops redis-server and the workers by pid.

Only ``job`` and ``app`` import Dagster's Celery integration; the warehouse is never
opened here: workers stage files, the single writer (``warehouse_claims``) loads them.
"""
