"""The API's record of a learner's own attempts.

Answering a question (``POST .../attempts/``) and a lesson's questions are served by
``classroom.api_views``, with the lesson they belong to.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated

from api.pagination import PageNumberPagination
from api.query import MAX_ID, integer_query_param

from .attempt_serializers import AttemptSerializer
from .models import Attempt

ATTEMPT_ID = OpenApiParameter("attempt_id", int, OpenApiParameter.PATH,
                              description="The attempt's `id`.")


class MyAttemptsMixin:
    """The learner's own attempts: another learner's are not found (404), never forbidden."""

    permission_classes = [IsAuthenticated]
    serializer_class = AttemptSerializer

    def get_queryset(self):
        return (
            Attempt.objects.filter(user=self.request.user)
            .select_related("question__lesson__chapter", "question__lesson__course")
            .order_by("-created_at", "-id")
        )


@extend_schema(
    tags=["attempts"], summary="My attempts",
    description="Every answer the learner's attempts recorded, newest first (by the time "
                "the server received them, then by id), as graded then. `?question=` keeps "
                "one question's.",
    parameters=[OpenApiParameter(
        "question", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        OpenApiParameter.QUERY, description="Only the attempts at this question (its id).")],
    responses={200: OpenApiResponse(AttemptSerializer(many=True),
                                    description="A page of attempts, newest first.")},
)
class MyAttemptListView(MyAttemptsMixin, generics.ListAPIView):
    pagination_class = PageNumberPagination

    def get_queryset(self):
        queryset = super().get_queryset()
        question = integer_query_param(self.request, "question", minimum=1, maximum=MAX_ID)
        if question is not None:
            queryset = queryset.filter(question_id=question)
        return queryset


@extend_schema(
    tags=["attempts"], summary="One of my attempts",
    description="An attempt of the learner's own; anyone else's id answers 404.",
    parameters=[ATTEMPT_ID],
    responses={200: OpenApiResponse(AttemptSerializer, description="The attempt.")},
)
class MyAttemptDetailView(MyAttemptsMixin, generics.RetrieveAPIView):
    lookup_url_kwarg = "attempt_id"
