"""A bounded load of lesson reads and answers, as a mobile client sends them.

Each thread is one client on its own keep-alive connection, alternating a lesson read
and an answer, learners taken in turn. Every answer carries a new ``Idempotency-Key``
and is sent again with the same key, as docs/api.md asks of a client, until it is
acknowledged (200 or 201): after a connection error, a 5xx or a 409 (the first request
still being answered; when its worker died, its marker says so for up to a minute, so a
client must keep trying that long: ``RETRY_SECONDS``). Every exchange is recorded
(time, status, the app host HAProxy sent it to), so the report can say when each error
happened and who served what.
Bounded by time and by count; a request waits at most ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

TIMEOUT = 30
RETRY_SECONDS = 90  # how long a client keeps sending one answer before it gives up


@dataclass
class Exchange:
    kind: str  # "read" or "answer"
    started: float  # time.monotonic()
    ended: float
    status: int  # 0: no response (the connection failed)
    host: str  # the app host that answered, as HAProxy names it ("" if none)
    retry: bool = False
    key: str = ""  # an answer's Idempotency-Key


@dataclass
class Outcome:
    exchanges: list[Exchange] = field(default_factory=list)
    acknowledged: dict[str, float] = field(default_factory=dict)  # key: when
    abandoned: list[str] = field(default_factory=list)  # keys never acknowledged


class Client:
    """One client: a keep-alive connection to the proxy, reopened after a failure."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, headers: dict, body: bytes | None):
        """Return (status, app host); (0, "") when no response came."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                         timeout=TIMEOUT)
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, response.getheader("X-App-Host", "")
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, ""

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Load:
    """Reads of ``lesson`` and answers (question id, choice id) by learners ``tokens``."""

    def __init__(self, port: int, tokens: list[str], lesson: str,
                 answers: list[tuple[int, int]]) -> None:
        self.port, self.tokens, self.lesson, self.answers = port, tokens, lesson, answers
        self.lock = threading.Lock()
        self.stopped = threading.Event()  # set on Ctrl-C: the clients end at once

    def stop(self) -> None:
        self.stopped.set()

    def run(self, *, seconds: float, requests: int, threads: int) -> Outcome:
        """Run ``threads`` clients until ``seconds`` pass or ``requests`` are sent."""
        outcome, deadline = Outcome(), time.monotonic() + seconds
        budget = iter(range(requests))
        with ThreadPoolExecutor(threads) as pool:
            for number in range(threads):
                pool.submit(self._client, number, threads, deadline, budget, outcome)
        return outcome

    def _client(self, number: int, threads: int, deadline: float, budget, outcome: Outcome):
        client, turn = Client(self.port), 0
        try:
            while (time.monotonic() < deadline and not self.stopped.is_set()
                   and next(budget, None) is not None):
                token = self.tokens[(number + threads * turn) % len(self.tokens)]
                if turn % 2 == 0:
                    self._read(client, token, outcome)
                else:
                    question, choice = self.answers[(number + turn) % len(self.answers)]
                    self._answer(client, token, question, choice, outcome)
                turn += 1
        finally:
            client.close()

    def _headers(self, token: str) -> dict:
        return {"Authorization": f"Token {token}", "Accept": "application/json",
                "Accept-Language": "en"}

    def _read(self, client: Client, token: str, outcome: Outcome) -> None:
        started = time.monotonic()
        status, host = client.send("GET", self.lesson, self._headers(token), None)
        self._record(outcome, Exchange("read", started, time.monotonic(), status, host))

    def _answer(self, client: Client, token: str, question: int, choice: int,
                outcome: Outcome) -> None:
        """Send one answer until it is acknowledged, always with the same key."""
        key = uuid.uuid4().hex
        headers = {**self._headers(token), "Content-Type": "application/json",
                   "Idempotency-Key": key}
        body = json.dumps({"answer": choice}).encode()
        give_up, attempt = time.monotonic() + RETRY_SECONDS, 0
        while time.monotonic() < give_up and not self.stopped.is_set():
            started = time.monotonic()
            status, host = client.send("POST", f"/api/v1/questions/{question}/attempts/",
                                       headers, body)
            self._record(outcome, Exchange("answer", started, time.monotonic(), status, host,
                                           retry=attempt > 0, key=key))
            if status in (200, 201):
                with self.lock:
                    outcome.acknowledged[key] = time.monotonic()
                return
            if status and status < 500 and status != 409:
                break  # refused for good: a new key would be a new answer
            time.sleep(min(0.05 * 2 ** attempt, 2.0))
            attempt += 1
        with self.lock:
            outcome.abandoned.append(key)

    def _record(self, outcome: Outcome, exchange: Exchange) -> None:
        with self.lock:
            outcome.exchanges.append(exchange)


def on_killed_host(ex: Exchange, killed_at: float, down_at: float) -> bool:
    """Say whether an exchange was in flight on host 1 when it died: sent before the kill
    and ended after it, or sent to host 1 (or unanswered) before HAProxy took it out."""
    return (ex.started <= killed_at <= ex.ended
            or (ex.host in ("app1", "") and killed_at <= ex.started <= down_at))


def classify(outcome: Outcome, killed_at: float, down_at: float) -> dict[str, list]:
    """Sort the failed exchanges: in flight on host 1 when it died; retries of an answer
    that was (its first send was in flight there); anything else (there should be none)."""
    failures = [ex for ex in outcome.exchanges if not 200 <= ex.status < 300]
    hit = {ex.key for ex in failures if ex.key and on_killed_host(ex, killed_at, down_at)}
    found: dict[str, list] = {"in flight": [], "retries of those": [], "other": []}
    for ex in failures:
        if on_killed_host(ex, killed_at, down_at):
            found["in flight"].append(ex)
        elif ex.key in hit:
            found["retries of those"].append(ex)
        else:
            found["other"].append(ex)
    found["recovered after"] = sorted(outcome.acknowledged[key] - killed_at for key in hit
                                      if key in outcome.acknowledged)
    return found
