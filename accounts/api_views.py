"""The app's authentication: register, log in for a token, log out one device or all of them.

Tokens are django-rest-knox's (hashed at rest, expiring, deleted on logout); see
docs/adr/0002-api-tokens.md. Register and login are throttled per client address in the
shared cache (scope ``auth``), so every app process counts towards one limit.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox import views as knox_views
from rest_framework import generics, serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from api.throttling import ScopedRateThrottle

from .password_reset import LimitedPasswordResetForm
from .serializers import LoginSerializer, RegistrationSerializer, TokenSerializer, UserSerializer
from .services import issue_token, register_learner

LOGGED_OUT = OpenApiResponse(description="The token stops working at once.")


class CredentialsView(generics.GenericAPIView):
    """Base of the views that take credentials instead of a token: open, and throttled."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


@extend_schema(
    tags=["auth"], summary="Register a learner",
    description="Create an account and log it in on this device: the response carries a "
                "token, as login's does. First and last name are required: certificates "
                "carry them.",
    responses={201: OpenApiResponse(TokenSerializer, description="The account exists, and "
                                                                   "this device is logged in.")},
)
class RegisterView(CredentialsView):
    serializer_class = RegistrationSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = issue_token(user=register_learner(**serializer.validated_data), request=request)
        return Response(TokenSerializer(issued).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["auth"], summary="Log in: get a token for this device",
    description="Each login issues a new token, so that each device can be logged out on "
                "its own. Wrong credentials answer 400 with a problem that names no field.",
    responses={200: OpenApiResponse(TokenSerializer, description="A new token for this device.")},
)
class LoginView(CredentialsView):
    serializer_class = LoginSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = issue_token(user=serializer.validated_data["user"], request=request)
        return Response(TokenSerializer(issued).data)


@extend_schema(
    tags=["auth"], summary="Log out this device",
    description="Revoke the token sent with this request at once; other devices stay "
                "logged in.",
    request=None, responses={204: LOGGED_OUT},
)
class LogoutView(knox_views.LogoutView):
    pass


@extend_schema(
    tags=["auth"], summary="Log out every device",
    description="Revoke all of this learner's tokens at once, this one included.",
    request=None, responses={204: LOGGED_OUT},
)
class LogoutAllView(knox_views.LogoutAllView):
    pass


@extend_schema(
    tags=["auth"], summary="The learner the token belongs to",
    description="Also answers to the web session, for the browsable API.",
    responses={200: OpenApiResponse(UserSerializer, description="The learner.")},
)
class CurrentLearnerView(generics.RetrieveAPIView):
    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return self.request.user


class PasswordResetRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


@extend_schema(
    tags=["auth"], summary="E-mail a password reset link",
    description="Send the account with this e-mail address a link to the web page where a "
                "new password is chosen, in the request's language. The answer is the same "
                "whether or not an account uses the address, so that it reveals none; each "
                "client address may ask a few times per hour (429 past that).",
    request=PasswordResetRequestSerializer,
    responses={202: OpenApiResponse(description="If an account uses the address, the e-mail "
                                                "is on its way.")},
)
class PasswordResetView(CredentialsView):
    serializer_class = PasswordResetRequestSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = LimitedPasswordResetForm(serializer.validated_data, request=request)
        if not form.is_valid():
            if form.has_error("__all__", "too_many_resets"):
                raise Throttled(wait=settings.PASSWORD_RESET_WINDOW_SECONDS)
            raise ValidationError(form.errors)
        form.send(request)
        return Response(status=status.HTTP_202_ACCEPTED)
