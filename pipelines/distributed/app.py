"""The Celery app of the workers: ``celery -A pipelines.distributed.app worker``.

It is dagster-celery's own app and step task (``dagster_celery.app`` does the same
with settings from a generated ``dagster_celery_config`` module), built from
``dagster-distributed.yaml`` so that workers and runs read one file.
"""
from dagster_celery.tasks import create_task

from pipelines.distributed.config import celery_app

app = celery_app()
execute_plan = create_task(app)
