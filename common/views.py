from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common import selectors


@require_GET
def home(request):
    return render(request, "common/home.html")


@never_cache
@require_GET
def healthz(request):
    """Database and broker reachability, and how long ago the periodic heartbeat ran.

    503 when the database or the broker is unreachable (a load balancer should take the
    web process out); a stale heartbeat only marks the status "degraded", since the web
    can still serve while beat or the worker is restarting.
    """
    database_ok = selectors.database_reachable()
    broker_ok = selectors.broker_reachable()
    heartbeat = selectors.heartbeat_status() if database_ok else None
    healthy = database_ok and broker_ok
    status = "ok" if healthy and heartbeat and heartbeat["fresh"] else ("degraded" if healthy else "down")
    return JsonResponse(
        {"status": status, "database": database_ok, "broker": broker_ok, "heartbeat": heartbeat},
        status=200 if healthy else 503,
    )
