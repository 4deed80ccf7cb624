"""Call a running Gradiente API as the mobile app would, and print each exchange as Markdown.

docs/api.md pastes this script's output, so its examples are real responses. Run it
against a server with the course imported and no learner called "ana" yet:

    python docs/api_walkthrough.py http://127.0.0.1:8013 > /tmp/walkthrough.md

Long texts (a lesson's body) are cut to a few hundred characters, marked with "…".
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

LESSON = "/api/v1/courses/redes-neurais/lessons/problemas-de-vanishing-e-exploding-gradient/"
SHOWN_HEADERS = ("Content-Type", "Content-Language", "ETag", "WWW-Authenticate", "Retry-After")
MAX_TEXT = 240


def shorten(value):
    """Cut long strings so that a response fits on a page; keep the structure."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if isinstance(value, list):
        return [shorten(item) for item in value]
    if isinstance(value, dict):
        return {key: shorten(item) for key, item in value.items()}
    return value


def exchange(base: str, method: str, path: str, *, body=None, headers=None, title: str):
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
        print(f"\n{json.dumps(shorten(payload), indent=2, ensure_ascii=False)}")
    print("```\n")
    return payload, response.headers


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
    exchange(base, "GET", "/api/v1/courses/redes-neurais/", title="A course's contents",
             headers=auth)
    _, lesson_headers = exchange(base, "GET", f"{LESSON}?lang=en",
                                 title="Read lesson 18.8 in English", headers=auth)
    exchange(base, "GET", f"{LESSON}?lang=en", title="Read it again: not modified",
             headers={**auth, "If-None-Match": lesson_headers["ETag"]})
    exchange(base, "GET", "/api/v1/courses/redes-neurais/lessons/nope/",
             title="An unknown lesson", headers=auth)
    exchange(base, "POST", "/api/v1/auth/logout/", title="Log out this device", headers=auth)
    exchange(base, "GET", "/api/v1/auth/me/", title="The token no longer works", headers=auth)
    exchange(base, "POST", "/api/v1/auth/logout-all/", title="Log out every device",
             headers={"Authorization": f"Token {registered['token']}"})


if __name__ == "__main__":
    base_url = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    if not base_url.startswith(("http://", "https://")):
        sys.exit("Give the server's http(s) URL, e.g. http://127.0.0.1:8000")
    main(base_url)
