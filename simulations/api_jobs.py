"""Uncached simulation work through the API: 202 with a job to poll, and the job's status.

A run or plot that is not cached is computed by a worker (see :mod:`simulations.offload`);
when it takes longer than the request waits, the answer is 202 Accepted with the job's
address in ``Location`` and ``Retry-After``. The job answers with its status and, once
done, the result's address, where the result is then served from the cache.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from api.schema import ProblemSerializer

from . import jobs, limits, offload

POLL_AFTER_SECONDS = 1


class SimulationsBusy(exceptions.APIException):
    """A 503 with Retry-After: too many runs are queued, or their queue is unreachable."""

    status_code = 503
    default_detail = gettext_lazy(
        "Too many simulations are waiting to run. Try again in a few seconds.")
    default_code = "simulations_busy"
    expected = True  # load shedding, not a bug: not reported as a server error

    def __init__(self, wait: int = offload.BUSY_RETRY_AFTER):
        super().__init__()
        self.wait = wait


class SimulationFailed(exceptions.APIException):
    status_code = 500
    default_detail = gettext_lazy("The simulation could not be computed. The error has been "
                                  "logged.")
    default_code = "simulation_failed"


class JobSerializer(serializers.Serializer):
    """Where a queued run or drawing stands."""

    status = serializers.ChoiceField(
        choices=[jobs.PENDING, jobs.DONE, jobs.FAILED],
        help_text="`pending`: queued or running, poll again after Retry-After; `done`: GET "
                  "`result`; `failed`: it did not finish in time (or failed): GET `result` "
                  "to queue it again.")
    job = serializers.CharField(help_text="This status's own address.")
    result = serializers.CharField(
        allow_null=True, help_text="Where the result (or image) is served once done.")


def job_url(key: str) -> str:
    return reverse("api:simulation-job", kwargs={"key": key})


def deliver(request, planned, respond):
    """Return ``respond(value)``, or 202 while a worker computes it; raise the problems."""

    def count_new_run() -> None:
        try:
            limits.count_new_run(request)
        except limits.TooManyRuns as refused:
            raise exceptions.Throttled(wait=refused.wait) from None

    try:
        value = offload.obtain(planned, result_url=request.get_full_path(),
                               before_work=count_new_run)
    except offload.Busy as busy:
        raise SimulationsBusy(busy.retry_after) from None
    except offload.Failed:
        raise SimulationFailed() from None
    if isinstance(value, offload.Pending):
        return accepted(request, value.key)
    return respond(value)


def accepted(request, key: str) -> Response:
    body = {"status": jobs.PENDING, "job": job_url(key), "result": request.get_full_path()}
    return Response(body, status=202, headers={
        "Location": body["job"], "Retry-After": str(POLL_AFTER_SECONDS),
        "Cache-Control": "no-store"})


JOB_RETRY_AFTER = OpenApiParameter(
    "Retry-After", int, OpenApiParameter.HEADER, response=[202], required=True,
    description="Seconds to wait before polling the job.")
JOB_LOCATION = OpenApiParameter(
    "Location", str, OpenApiParameter.HEADER, response=[202], required=True,
    description="The job's address (as `job` in the body): poll it.")
ACCEPTED = OpenApiResponse(JobSerializer, description=(
    "Not computed yet: a worker is on it. Poll `job` (also in `Location`) after "
    "`Retry-After` seconds; when it says `done`, GET this URL again."))
BUSY = OpenApiResponse(ProblemSerializer, description=(
    "Too many simulations are queued (or their queue cannot be reached): try again after "
    "`Retry-After` seconds."))
THROTTLED = OpenApiResponse(ProblemSerializer, description=(
    "Too many new (uncached) runs from this client: anonymous clients per address, "
    "learners per account. Retry-After says how long to wait; cached results are not "
    "counted."))
WORK_RESPONSES = {202: ACCEPTED, 429: THROTTLED, 503: BUSY}
WORK_HEADERS = [JOB_RETRY_AFTER, JOB_LOCATION]


class JobView:
    """The status of a queued run or drawing (mixed into an APIView by api_views)."""

    @extend_schema(
        tags=["simulations"], summary="Where a queued run or drawing stands",
        description="The `job` of a 202 from a run or a plot. Unknown jobs (never queued, "
                    "or forgotten after an hour) are 404.",
        responses={200: JobSerializer},
        parameters=[OpenApiParameter(
            "Retry-After", int, OpenApiParameter.HEADER, response=[200],
            description="While `pending`: seconds to wait before polling again.")],
    )
    def get(self, request, key: str):
        stored = jobs.record(key)
        state = jobs.state(key, stored)
        if state is None:
            raise exceptions.NotFound(_("There is no such simulation job (jobs are forgotten "
                                        "an hour after they are queued)."))
        body = {"status": state, "job": job_url(key),
                "result": stored.get("result") if stored else None}
        headers = {"Cache-Control": "no-store"}
        if state == jobs.PENDING:
            headers["Retry-After"] = str(POLL_AFTER_SECONDS)
        return Response(JobSerializer(body).data, headers=headers)
