from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common import views as common_views

api_v1 = [
    path("", include("offices.api.urls")),
    path("", include("policy.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("registrations.api.urls")),
    path("", include("claims.api.urls")),
    path("", include("review.api.urls")),
]

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("offices/", include("offices.urls")),
    path("registrations/", include("registrations.urls")),
    path("claims/", include("claims.urls")),
    path("inbox/", include("notifications.urls")),
    path("review/", include("review.urls")),
    path("print/", include("registrations.print_urls")),
    path("policy/", include("policy.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads Swagger UI's set-up as a script file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.BENCH_VIEWS:  # bench/http.py's baselines; off unless BENCH_VIEWS=true
    from config import bench_views

    urlpatterns += [
        path("bench/bare/", bench_views.bare),
        path("bench/one-row/<int:pk>/", bench_views.OneRowApi.as_view()),
    ]
