"""Call a running Gradiente API as the mobile app would, and print each exchange as Markdown.

docs/api.md pastes this script's output, so its examples are real responses. Run it
against a server with the course imported (questions included) and no learner called
"ana" or "bruno" yet:

    python docs/api_walkthrough.py http://127.0.0.1:8013 > /tmp/walkthrough.md

Long texts (a lesson's body, an image's base64) are cut to a few hundred characters,
marked with "…", and long lists to their first items.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import urllib.error
import urllib.request

COURSE = "/api/v1/courses/redes-neurais/"
LESSON = f"{COURSE}lessons/problemas-de-vanishing-e-exploding-gradient/"
NEXT_LESSON = f"{COURSE}lessons/inicializacao-de-pesos/"
SHOWN_HEADERS = ("Content-Type", "Content-Language", "ETag", "Vary", "Location",
                 "Idempotent-Replayed", "WWW-Authenticate", "Retry-After")
MAX_TEXT = 240
MAX_ITEMS = 2
# Fixed keys, so that the printed requests read the same every run (an app makes a UUID).
KEYS = {"wrong": "6f1c7a52-0d55-4b5e-9d43-2b8f3c1e9a01",
        "right": "0b9e4d3a-7c1f-4e28-a5d6-91f2c8e7b302",
        "offline": "c4a8e2f1-3b6d-4f95-8e07-5d1a9c2b7e03"}


def shorten(value, *, lists: bool = False):
    """Cut long strings (and, with ``lists``, long lists) so that a response fits on a
    page; keep the structure."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if isinstance(value, list):
        items = [shorten(item, lists=lists) for item in value]
        if lists and len(items) > MAX_ITEMS:
            items = [*items[:MAX_ITEMS], f"… {len(items) - MAX_ITEMS} more"]
        return items
    if isinstance(value, dict):
        return {key: shorten(item, lists=lists) for key, item in value.items()}
    return value


def exchange(base: str, method: str, path: str, *, body=None, headers=None, title: str,
             lists: bool = False):
    """Send one request, print it and its response as Markdown, and return the JSON body."""
    headers = {"Accept": "application/json", **(headers or {})}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    url = base + path  # main() accepts http(s) URLs only
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        response = urllib.request.urlopen(request)  # noqa: S310
    except urllib.error.HTTPError as error:
        response = error
    raw = response.read()
    payload = json.loads(raw) if raw else None

    print(f"### {title}\n\n```http\n{method} {path} HTTP/1.1")
    for name, value in headers.items():
        print(f"{name}: {value}")
    if body is not None:
        print(f"\n{json.dumps(body, indent=2, ensure_ascii=False)}")
    print("```\n\n```http")
    print(f"HTTP/1.1 {response.status} {response.reason}")
    for name in SHOWN_HEADERS:
        if response.headers.get(name):
            print(f"{name}: {response.headers[name]}")
    if payload is not None:
        print(f"\n{json.dumps(shorten(payload, lists=lists), indent=2, ensure_ascii=False)}")
    print("```\n")
    return payload, response.headers


def choice_id(question: dict, text: str) -> int:
    return next(choice["id"] for choice in question["choices"] if choice["text"] == text)


def main(base: str) -> None:
    exchange(base, "POST", "/api/v1/auth/register/", title="Register with a weak password",
             body={"username": "ana", "email": "ana@example.com", "password": "12345678",
                   "first_name": "Ana", "last_name": "Souza"})
    registered, _ = exchange(base, "POST", "/api/v1/auth/register/", title="Register", body={
        "username": "ana", "email": "ana@example.com", "password": "gradientes somem devagar",
        "first_name": "Ana", "last_name": "Souza"}, headers={"Accept-Language": "en"})
    exchange(base, "POST", "/api/v1/auth/login/", title="Log in with a wrong password",
             body={"username": "ana", "password": "wrong"})
    login, _ = exchange(base, "POST", "/api/v1/auth/login/", title="Log in (another device)",
                        body={"username": "ana", "password": "gradientes somem devagar"},
                        headers={"Accept-Language": "en"})
    auth = {"Authorization": f"Token {login['token']}", "Accept-Language": "en"}
    exchange(base, "GET", "/api/v1/auth/me/", title="Who am I", headers=auth)
    exchange(base, "GET", "/api/v1/courses/", title="List the courses", headers=auth)
    exchange(base, "GET", COURSE, title="A course's contents", headers=auth)
    lesson, lesson_headers = exchange(base, "GET", f"{LESSON}?lang=en",
                                      title="Read lesson 18.8 in English", headers=auth,
                                      lists=True)
    exchange(base, "GET", f"{LESSON}?lang=en", title="Read it again: not modified",
             headers={**auth, "If-None-Match": lesson_headers["ETag"]})
    exchange(base, "GET", f"{COURSE}lessons/nope/", title="An unknown lesson", headers=auth)

    # Questions: the lesson's own list, a page at a time.
    page, _ = exchange(base, "GET", f"{LESSON}questions/?page_size=1",
                       title="The lesson's first question", headers=auth)
    question = page["results"][0]
    url = question["attempts_url"].removeprefix(base)
    wrong = {"answer": choice_id(question, "Limiting the gradient during backpropagation "
                                           "with gradient clipping.")}
    right = {"answer": choice_id(question, "Applying dropout to the network's hidden layers.")}

    # Answer wrong, then right; retries with the same Idempotency-Key.
    exchange(base, "POST", url, title="Answer without a token", body=right,
             headers={"Accept-Language": "en"})
    exchange(base, "POST", url, title="Answer wrong", body=wrong,
             headers={**auth, "Idempotency-Key": KEYS["wrong"]})
    exchange(base, "POST", url, title="The same request again (a retry)", body=wrong,
             headers={**auth, "Idempotency-Key": KEYS["wrong"]})
    exchange(base, "POST", url, title="The same key with another answer", body=right,
             headers={**auth, "Idempotency-Key": KEYS["wrong"]})
    exchange(base, "POST", url, title="Answer right", body=right,
             headers={**auth, "Idempotency-Key": KEYS["right"]})
    exchange(base, "GET", f"{LESSON}questions/?page_size=1",
             title="The question now: solved, with its solution", headers=auth)

    # Progress and attempts.
    exchange(base, "GET", "/api/v1/me/progress/redes-neurais/",
             title="My progress in the course", headers=auth, lists=True)
    attempts, _ = exchange(base, "GET", "/api/v1/me/attempts/", title="My attempts",
                           headers=auth)
    other, _ = exchange(base, "POST", "/api/v1/auth/register/", title="Another learner",
                        body={"username": "bruno", "email": "bruno@example.com",
                              "password": "outra senha comprida", "first_name": "Bruno",
                              "last_name": "Lima"}, headers={"Accept-Language": "en"})
    exchange(base, "GET", f"/api/v1/me/attempts/{attempts['results'][0]['id']}/",
             title="Another learner asks for Ana's attempt",
             headers={"Authorization": f"Token {other['token']}", "Accept-Language": "en"})

    # Offline: download lesson 18.9, answer it offline, send the answer later.
    package, _ = exchange(base, "GET", f"{NEXT_LESSON}package/?lang=en",
                          title="Download lesson 18.9 for offline use", headers=auth,
                          lists=True)
    numeric = next(q for q in package["lesson"]["questions"] if q["kind"] == "numeric")
    answered_at = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).replace(microsecond=0)
    offline = {"answer": "0,05", "answered_at": answered_at.isoformat(),
               "shown": numeric["shown"]}
    exchange(base, "POST", numeric["attempts_url"].removeprefix(base),
             title="Send an answer given offline", body=offline,
             headers={**auth, "Idempotency-Key": KEYS["offline"]})

    exchange(base, "POST", "/api/v1/auth/logout/", title="Log out this device", headers=auth)
    exchange(base, "GET", "/api/v1/auth/me/", title="The token no longer works", headers=auth)
    exchange(base, "POST", "/api/v1/auth/logout-all/", title="Log out every device",
             headers={"Authorization": f"Token {registered['token']}"})


if __name__ == "__main__":
    base_url = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    if not base_url.startswith(("http://", "https://")):
        sys.exit("Give the server's http(s) URL, e.g. http://127.0.0.1:8000")
    main(base_url)
