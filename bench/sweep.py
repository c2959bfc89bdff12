"""The reminder sweep over the bench population, with a real Celery worker on Redis sending.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/sweep.py [--scale 1000000] [--noop 5000]

The population comes from bench/dataset.py (same --scale). The script starts a Celery worker
(prefork, concurrency 2, e-mail to a dummy backend, text messages to the logging backend at
WARNING), then in one run:

1. measures the worker's rate on a trivial task (`common.tasks.noop`): N tasks queued at once,
   timed until the queue is empty and the last one has run;
2. forgets earlier reminders and runs the sweep for 24 December of this year (7 days before the
   claim window closes) in this process, as the hourly beat task does: wall time, queries, peak
   RSS of the process;
3. waits until the worker has sent every delivery the sweep filed, and reports deliveries sent per
   second against the no-op rate.

Budgets (issue 8): sweep ≤ 60 s and peak RSS ≤ 256 MiB at 1,000,000 enrollees; sending ≥ 0.6 × the
no-op task rate.
"""

import argparse
import datetime
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.dataset import setup_django  # noqa: E402
from bench.reminders import QueryCounter  # noqa: E402


def queue_length() -> int:
    from config.celery import app

    with app.connection_for_write() as connection:
        return connection.default_channel.client.llen("celery")


def wait_for_worker(seconds: int = 60) -> None:
    from config.celery import app

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1):
            return
    raise SystemExit("the Celery worker did not answer")


def noop_rate(count: int) -> float:
    from common.tasks import noop
    from config.celery import app

    started = time.perf_counter()
    with app.producer_or_acquire() as producer:
        for _ in range(count):
            noop.apply_async(producer=producer)
    while queue_length():
        time.sleep(0.01)
    # The last tasks taken are still running: ask until no worker reports an active task.
    while any((app.control.inspect(timeout=0.5).active() or {}).values()):
        time.sleep(0.01)
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--noop", type=int, default=5_000, help="no-op tasks for the worker's ceiling")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        print("Needs REDIS_URL (the worker's broker), e.g. redis://127.0.0.1:6379/14")
        return 2
    os.environ.update(EMAIL_URL="dummymail://", LOG_LEVEL="WARNING")
    subprocess.run([sys.executable, str(ROOT / "bench" / "dataset.py"), "--scale", str(args.scale)], check=True)  # noqa: S603
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    settings.DEBUG = False  # DEBUG keeps every query's SQL in memory
    from notifications import reminders, tasks
    from notifications.constants import DeliveryStatus
    from notifications.models import Delivery

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_delivery, notifications_notification RESTART IDENTITY CASCADE")
    from config.celery import app

    app.control.purge()
    worker = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "--concurrency", "2",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    try:
        wait_for_worker()
        ceiling = noop_rate(args.noop)
        print(f"no-op tasks: {ceiling:,.0f} per second ({args.noop:,} tasks)", flush=True)

        day = datetime.date(timezone.localdate().year, 12, 24)
        counter = QueryCounter()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            counts = reminders.sweep(day, send=tasks._fan_out)
        sweep_seconds = time.perf_counter() - started
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"sweep for {day}: {sweep_seconds:.1f} s, {counter.count:,} queries, {counts['notifications']:,} "
            f"reminders, {counts['deliveries']:,} deliveries; peak RSS {rss_peak:.0f} MiB "
            f"(before the sweep {rss_before:.0f} MiB)",
            flush=True,
        )
        open_statuses = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
        while Delivery.objects.filter(status__in=open_statuses).exists():
            time.sleep(0.1)
        total = time.perf_counter() - started
        sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)

    rate = sent / total
    print(f"sent {sent:,} deliveries in {total:.1f} s from the sweep's start: {rate:,.0f} per second")
    checks = [
        ("sweep ≤ 60 s", sweep_seconds <= 60, f"{sweep_seconds:.1f} s"),
        ("peak RSS ≤ 256 MiB", rss_peak <= 256, f"{rss_peak:.0f} MiB"),
        ("sending ≥ 0.6 × no-op rate", rate >= 0.6 * ceiling, f"{rate / ceiling:.2f} ×"),
    ]
    for name, met, figure in checks:
        print(f"{name}: {figure} — {'met' if met else 'NOT met'}")
    return 0 if all(met for _, met, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
