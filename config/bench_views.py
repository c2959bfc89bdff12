"""Two views for bench/http.py only, served when BENCH_VIEWS is on (never in production):
the ceiling of the stack (Django alone) and of DRF reading one row, to compare the portal with."""

from django.http import JsonResponse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from offices.models import Office


def bare(request):
    return JsonResponse({"ok": True})


class OneRowApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    def get(self, request, pk):
        office = Office.objects.values("code", "name_zh", "mailing_address").get(pk=pk)
        return Response(office)
