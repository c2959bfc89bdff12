"""Requests per second through a real server: gunicorn (2 sync workers, DEBUG off, persistent
database connections) loaded by wrk on loopback, six paths measured alternately in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/http_load.py [--scale 1000] [--seconds 10] [--rounds 2]

The database is filled by bench/dataset.py first (idempotent, same --scale). Paths:

  a  GET  /bench/bare/                    a bare Django JsonResponse (the stack's ceiling)
  b  GET  /bench/one-row/<pk>/            a minimal DRF view reading one row by primary key
  c  POST /api/v1/policy/quote/           a quote (rule sets cached in process)
  d  GET  /api/v1/registrations/<id>/     an enrollee's registration, token auth
  e  GET  /review/                        the staff queue page of the busiest office (HTML)
  f  GET  /registrations/                 an enrollee's "my registrations" page (HTML)

Each round runs a…f once for --seconds each; the best round of each path is reported (the other
load on a shared machine only ever lowers a figure). It prints requests/s, p50 and p99 per path
and the ratios the budgets name: c/a, d/b, e/b, f/b.

Nothing personal is kept between requests: d, e and f read the database and render every time,
so there is no "warm" or "cold" to tell apart. Only the quote (c) is kept, per version of the rules.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.dataset import setup_django  # noqa: E402

# Floors under what the paths measured once nothing personal was kept between requests (2026-12-04,
# bench/README.md): d, e and f read and render every time, c counts its rate limit in Redis.
BUDGETS = {"c/a": 0.55, "d/b": 0.08, "e/b": 0.03, "f/b": 0.08}
QUOTE = {
    "jurisdiction": "nantong",
    "registration_type": "referral",
    "care_scope": "cross_province",
    "care_province": "上海市",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE="600",
        BENCH_VIEWS="true",
        LOG_LEVEL="WARNING",
    )
    return env


@contextlib.contextmanager
def serve(port: int, *, workers: int, timeout: int = 30):
    """gunicorn on loopback with the environment as it is (server_env applied by the caller),
    ready when /healthz answers; yields the master's process."""
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", str(timeout)],
        cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310  # nosec B310
                break
            except OSError:
                time.sleep(0.2)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def session_cookie(user) -> str:
    """A logged-in session for `user` (second step done for staff), as the login pages would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import SEEN
    from accounts.selectors import needs_second_factor

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.NationalIdOrPhoneBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SEEN] = int(time.time()) + 3600  # not "idle" during the run
    if needs_second_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def targets(base: str) -> dict:
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from offices.models import Office
    from registrations.models import Registration

    registration = (
        Registration.objects.filter(enrollee__username__startswith="bench-e", enrollee__office__code="nantong-urban")
        .select_related("enrollee")
        .order_by("pk")
        .first()
    )
    enrollee = registration.enrollee
    # d: many enrollees, each reading their own registration, as at the December peak (one user
    # alone would meet the per-user rate limit).
    readers = list(
        Registration.objects.filter(enrollee__username__startswith="bench-e")
        .values_list("enrollee_id", "uuid")
        .order_by("enrollee_id")[:200]
    )
    tokens = {user_id: Token.objects.get_or_create(user_id=user_id)[0].key for user_id, _ in readers}
    staff = User.objects.get(username="bench-staff-nantong-urban")
    return {
        "a": ("GET", f"{base}/bench/bare/", {}, None, None),
        "b": ("GET", f"{base}/bench/one-row/{Office.objects.order_by('pk').first().pk}/", {}, None, None),
        "c": ("POST", f"{base}/api/v1/policy/quote/", {"Content-Type": "application/json"}, json.dumps(QUOTE), None),
        "d": (
            "GET",
            f"{base}/api/v1/registrations/{readers[0][1]}/",
            {"Authorization": f"Token {tokens[readers[0][0]]}"},
            None,
            [(f"/api/v1/registrations/{uuid}/", {"Authorization": f"Token {tokens[user]}"}) for user, uuid in readers],
        ),
        "e": ("GET", f"{base}/review/", {"Cookie": session_cookie(staff)}, None, None),
        "f": ("GET", f"{base}/registrations/", {"Cookie": session_cookie(enrollee)}, None, None),
    }


def check(method, url, headers, body) -> None:
    """Every path must answer 200 before it is timed: a fast error page measures nothing."""
    request = urllib.request.Request(url, method=method, headers=headers, data=body.encode() if body else None)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310 - loopback
        if response.status != 200:
            raise SystemExit(f"{method} {url} answered {response.status}")


def wrk(method, url, headers, body, variants=None, *, seconds: int, connections: int) -> dict:
    """One wrk run. Every request comes from a random client address (X-Forwarded-For), as a city's
    users would, so the API's per-client rate limits keep their production settings (and their
    short histories). `variants`, a list of (path, headers), spreads the requests over many
    users, each asking for their own case."""
    variants = variants or [(urllib.parse.urlsplit(url).path, headers)]
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    with script:
        script.write(f"wrk.method = {json.dumps(method)}\n")
        if body:
            script.write(f"wrk.body = {json.dumps(body)}\n")
        script.write("math.randomseed(os.time())\nlocal variants = {}\n")
        for path, extra in variants:
            merged = {**headers, **extra}
            fields = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in merged.items())
            script.write(f"table.insert(variants, {{path = {json.dumps(path)}, headers = {{{fields}}}}})\n")
        script.write(
            "request = function()\n"
            "  local chosen = variants[math.random(#variants)]\n"
            "  local headers = {}\n"
            "  for name, value in pairs(chosen.headers) do headers[name] = value end\n"
            '  headers["X-Forwarded-For"] = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "."'
            " .. math.random(1, 254)\n"
            "  return wrk.format(nil, chosen.path, headers, nil)\n"
            "end\n"
        )
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    os.unlink(script.name)
    if "Non-2xx" in output:
        raise SystemExit(f"{method} {url}: non-2xx answers under load\n{output}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def load(port: int, paths: dict, *, rounds: int, seconds: int, connections: int) -> dict:
    """Serve, check and warm every path, then load them in turn `rounds` times: the best of each."""
    best: dict = {}
    with serve(port, workers=2):
        for method, url, headers, body, variants in paths.values():
            check(method, url, headers, body)
            wrk(method, url, headers, body, variants, seconds=2, connections=connections)  # warm both workers
        for round_no in range(1, rounds + 1):
            for key, (method, url, headers, body, variants) in paths.items():
                figures = wrk(method, url, headers, body, variants, seconds=seconds, connections=connections)
                print(f"round {round_no} {key}: {figures['rps']:.0f} req/s", flush=True)
                if key not in best or figures["rps"] > best[key]["rps"]:
                    best[key] = figures
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1000, help="enrollees in the dataset (bench/dataset.py)")
    parser.add_argument("--seconds", type=int, default=10, help="load per path per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--paths", default="abcdef", help="which paths to load, e.g. 'bef' (ratios need both ends)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk")
        return 2

    subprocess.run([sys.executable, str(ROOT / "bench" / "dataset.py"), "--scale", str(args.scale)], check=True)  # noqa: S603
    port = free_port()
    # This process makes the sessions and tokens the server checks: the same settings (secret key).
    os.environ.update(server_env(port))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, check=True)  # noqa: S603
    setup_django()
    base = f"http://127.0.0.1:{port}"
    paths = {key: target for key, target in targets(base).items() if key in args.paths}
    best = load(port, paths, rounds=args.rounds, seconds=args.seconds, connections=args.connections)

    print(f"\n{'path':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for key, (method, url, _headers, _body, _variants) in paths.items():
        figures, label = best[key], f"{key} {method} {url.removeprefix(base)}"
        print(f"{label:<44} {figures['rps']:>8.0f} {figures['p50']:>8.2f} {figures['p99']:>8.2f}")
    print()
    failed = 0
    for ratio, budget in BUDGETS.items():
        top, bottom = ratio.split("/")
        if top not in best or bottom not in best:
            continue
        value = best[top]["rps"] / best[bottom]["rps"]
        verdict = "met" if value >= budget else "NOT met"
        failed += value < budget
        print(f"{ratio} = {value:.2f}  (budget ≥ {budget}: {verdict})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
