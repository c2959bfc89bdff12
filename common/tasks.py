from celery import shared_task

from common import services


@shared_task(name="common.tasks.heartbeat")
def heartbeat():
    services.heartbeat_record(name="celery")
