from celery import shared_task

from common import services


@shared_task(name="common.tasks.heartbeat")
def heartbeat():
    services.heartbeat_record(name="celery")


@shared_task(name="common.tasks.noop")
def noop():
    """Does nothing: bench/sweep.py measures the worker's task rate with it, as the ceiling for sending."""
