"""Exactly once under concurrent sweeps (PostgreSQL), nothing lost with the broker down, a real worker on Redis."""

import datetime
import os
import threading
import time

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse

from notifications import reminders, services, tasks
from notifications.models import Delivery, Notification
from tests.claims.test_submit import make_claim
from tests.conftest import require


def _draft_claims(make_enrollee, count: int):
    from accounts.national_id import check_character

    people = []
    for index in range(count):
        body = f"32060219700101{index:03d}"
        person = make_enrollee(body + check_character(body), name=f"参保人{index}", phone=f"137{index:08d}")
        person.email = f"p{index}@example.com"
        person.save(update_fields=["email"])
        make_claim(person, emergency=True)
        people.append(person)
    return people


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_concurrent_sweeps_send_each_reminder_once(settings):
    require(connection.vendor == "postgresql", "row locks need PostgreSQL (DATABASE_URL)")
    from tests.conftest import make_enrollee

    _draft_claims(make_enrollee, 12)
    errors = []

    def run():
        try:
            with time_machine.travel("2026-12-24 09:00:00+08:00", tick=False):
                reminders.sweep(datetime.date(2026, 12, 24), send=lambda ids: [services.deliver(i) for i in ids])
            # and each thread then sends whatever is still pending, racing the others
            for delivery_id in Delivery.objects.values_list("pk", flat=True):
                services.deliver(delivery_id)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Notification.objects.filter(kind="claim_window").count() == 12
    assert Delivery.objects.filter(status="sent").count() == 12
    assert len(mail.outbox) == 12


def _forget_connections(app) -> None:
    """Drop the app's pooled broker connections and producers, so the next send uses the current URL."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db
def test_a_submission_with_the_broker_down_is_saved_and_delivered_after(
    client, enrollee, django_capture_on_commit_callbacks
):
    from config.celery import app

    enrollee.email = "li@example.com"
    enrollee.save(update_fields=["email"])
    with time_machine.travel("2026-06-02 10:00:00+08:00", tick=False):
        claim = make_claim(enrollee, emergency=True)
        client.force_login(enrollee)
        saved = app.conf.broker_url, app.conf.broker_transport_options
        # as settings configure Redis: fail fast, once
        app.conf.broker_url = "redis://127.0.0.1:9/0"
        app.conf.broker_transport_options = {"socket_connect_timeout": 2, "max_retries": 1}
        _forget_connections(app)  # connect to the closed port, not a pooled connection
        try:
            started = time.monotonic()
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("claims:submit", args=[claim.uuid]))
            took = time.monotonic() - started
        finally:
            app.conf.broker_url, app.conf.broker_transport_options = saved
            _forget_connections(app)
    assert response.status_code == 302
    assert took < 15  # the page does not hang on the broker
    claim.refresh_from_db()
    assert claim.status == "submitted"
    delivery = Delivery.objects.get()
    assert delivery.status == "pending"
    assert mail.outbox == []

    # The broker is back: the minute sweep sends what waited.
    app.conf.task_always_eager = True
    try:
        with time_machine.travel("2026-06-02 10:05:00+08:00", tick=False):
            tasks.deliver_pending()
    finally:
        app.conf.task_always_eager = False
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_on_redis_runs_the_sweep_and_the_mail_is_sent():
    require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app
    from tests.conftest import make_enrollee

    _draft_claims(make_enrollee, 2)
    today = datetime.datetime.now(tz=datetime.UTC).date()
    with time_machine.travel(datetime.datetime(today.year, 12, 24, 9, tzinfo=datetime.UTC), tick=True):
        # claims of this December's year: their invoices are of 2026 in the helper; move them.
        from claims.models import Expense

        Expense.objects.update(date=datetime.date(today.year, 5, 10))
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            tasks.sweep_reminders.delay()
            deadline = time.monotonic() + 30
            while len(mail.outbox) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(status="sent").count() == 2
