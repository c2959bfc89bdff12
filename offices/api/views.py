import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from offices import selectors
from offices.api.serializers import JurisdictionOutputSerializer, OfficeOutputSerializer


class JurisdictionListApi(generics.ListAPIView):
    """Public: the insured regions the portal serves."""

    permission_classes = [AllowAny]
    serializer_class = JurisdictionOutputSerializer

    def get_queryset(self):
        return selectors.jurisdiction_list()


@extend_schema(parameters=[OpenApiParameter("jurisdiction", str, description="jurisdiction code, e.g. nantong")])
class OfficeListApi(generics.ListAPIView):
    """Public: service windows with their phones and addresses."""

    permission_classes = [AllowAny]
    serializer_class = OfficeOutputSerializer

    def get_queryset(self):
        code = self.request.query_params.get("jurisdiction")
        if code and not re.fullmatch(r"[-\w]{1,32}", code):  # a code, not any text (NUL is refused by PostgreSQL)
            message = _("A jurisdiction code is letters, digits and hyphens, e.g. nantong.")
            raise ValidationError({"jurisdiction": [message]})
        return selectors.office_list(jurisdiction=code)
