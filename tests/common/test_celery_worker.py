"""A task really travels through Redis to a real Celery worker and changes the database."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from common.models import Heartbeat
from common.tasks import heartbeat
from config.celery import app
from tests.conftest import require


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_heartbeat_runs_through_a_real_worker_on_redis():
    require(settings.CELERY_BROKER_URL.startswith("redis://"), "REDIS_URL is not set")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        heartbeat.delay()
        deadline = time.monotonic() + 20
        while not Heartbeat.objects.filter(name="celery").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert Heartbeat.objects.filter(name="celery").exists()
