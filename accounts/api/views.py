from django.contrib.auth import authenticate
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api import serializers
from accounts.api.authentication import ExpiringTokenAuthentication


class SignupApi(APIView):
    """Public: an enrollee creates an account (one per national ID)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(request=serializers.SignupInputSerializer, responses={201: serializers.MeOutputSerializer})
    def post(self, request):
        data = serializers.SignupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = services.enrollee_register(
            national_id_value=values["national_id"],
            name=values["name"],
            phone=values["phone"],
            password=values["password"],
            scheme=values["scheme"],
            jurisdiction_code=values["jurisdiction"],
            office_code=values["office"],
            email=values["email"],
            preferred_language=get_language() or "zh-hans",
        )
        return Response(serializers.MeOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    """Public: exchange a national ID (or mobile number) and password for an API token.

    Staff and admins also send `otp`, the code of their authenticator app.
    """

    permission_classes = [AllowAny]
    # Kept so that a failed login is a 401 with its WWW-Authenticate header.
    authentication_classes = [ExpiringTokenAuthentication]

    @extend_schema(request=serializers.TokenInputSerializer, responses=serializers.TokenOutputSerializer)
    def post(self, request):
        data = serializers.TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: django-axes marks a lockout on it for its middleware.
        values = data.validated_data
        user = authenticate(request._request, username=values["username"], password=values["password"])
        if user is None:
            raise AuthenticationFailed(_("The identity number, mobile number or password is wrong."))
        token = services.api_token_issue(user=user, otp=values["otp"])
        return Response({"token": token.key, "expires_at": selectors.api_token_expires_at(token)})


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=serializers.MeOutputSerializer)
    def get(self, request):
        return Response(serializers.MeOutputSerializer(request.user).data)
