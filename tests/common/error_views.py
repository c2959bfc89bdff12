"""Throw-away API views that raise each kind of error, to test the shared error shape."""

from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from common.errors import ConflictError, ServiceError


class _DateInput(serializers.Serializer):
    start_date = serializers.DateField()
    care_scope = serializers.ChoiceField(choices=["in_province", "cross_province"])


class ValidateView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        _DateInput(data=request.data).is_valid(raise_exception=True)
        return Response({})


class NonFieldView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        raise serializers.ValidationError("Only one registration may be active.")


class ServiceErrorView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        raise ServiceError("The claim window has closed.", {"expenses": ["Too late."]})


class ConflictView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        raise ConflictError("Someone else decided first.")


class PrivateView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({})


class OncePerMinute(AnonRateThrottle):
    rate = "1/minute"


class ThrottledView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OncePerMinute]

    def get(self, request):
        return Response({})


urlpatterns = [
    path("validate/", ValidateView.as_view()),
    path("non-field/", NonFieldView.as_view()),
    path("service-error/", ServiceErrorView.as_view()),
    path("conflict/", ConflictView.as_view()),
    path("private/", PrivateView.as_view()),
    path("throttled/", ThrottledView.as_view()),
]
