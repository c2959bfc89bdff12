import pytest
import time_machine
from django.utils import timezone

from common.models import Heartbeat
from common.tasks import heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_missing_heartbeat(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"] is True
    assert body["broker"] is True
    assert body["heartbeat"] == {"last_run": None, "age_seconds": None, "fresh": False}
    assert body["status"] == "degraded"
    assert "no-cache" in response["Cache-Control"]


def test_heartbeat_task_makes_healthz_ok(client):
    with time_machine.travel("2026-12-31 10:00:00+08:00", tick=False):
        heartbeat()
    with time_machine.travel("2026-12-31 10:01:30+08:00", tick=False):
        body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["heartbeat"]["age_seconds"] == 90.0
    assert body["heartbeat"]["fresh"] is True


def test_stale_heartbeat_is_degraded(client):
    Heartbeat.objects.create(name="celery", last_run=timezone.now() - timezone.timedelta(minutes=10))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["heartbeat"]["fresh"] is False


def test_unreachable_broker_is_503(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] is False
    assert response.json()["status"] == "down"
