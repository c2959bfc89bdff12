"""Every API view states who may call it; the public ones are exactly this allow-list."""

from django.urls import URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from tests.security.figures import report

PUBLIC_API = {
    "JurisdictionListApi",
    "OfficeListApi",
    "RegistrationTypeListApi",
    "QuoteApi",
    "SignupApi",
    "TokenApi",
}


def api_views():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                view = getattr(pattern.callback, "cls", None)
                if (
                    view is not None
                    and issubclass(view, APIView)
                    and view.__module__.split(".")[0] != "drf_spectacular"
                ):
                    yield view

    return sorted(set(walk(get_resolver().url_patterns)), key=lambda view: view.__name__)


def test_every_api_view_declares_its_permissions_and_public_ones_are_listed():
    views = api_views()
    undeclared = [view.__name__ for view in views if "permission_classes" not in vars(view)]
    public = {view.__name__ for view in views if any(issubclass(p, AllowAny) for p in view.permission_classes)}
    report("API permissions", f"{len(views)} views declare theirs, {len(public)} public (all on the allow-list)")
    assert undeclared == []
    assert public == PUBLIC_API
