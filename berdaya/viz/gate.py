"""Who may use a shared server: a token in front of every page and websocket, and a cookie per browser.

``berdaya viz`` on an address other than loopback (a class's or an office's network) starts
Solara through ``python -m berdaya.viz.gate run APP ...``: the same ``solara run``, with its
ASGI app wrapped in ``Gate`` before uvicorn loads it. The gate

- refuses (HTTP 403, a short page in both languages; a websocket closed before it opens)
  every request that carries neither the server's token (``?token=...``) nor the cookie a
  first visit with it set, when the server has a token (``$BERDAYA_TOKEN``);
- keeps Solara's ``/resourcez`` (the host's processor and memory) from strangers: with a
  token, only for those who hold it; without one, only for this machine;
- gives every browser a random ``berdaya_owner`` cookie, by which the comparison page tells
  the comparisons a browser started from the others' (``berdaya viz --shared`` shows all).

The token is compared in constant time and never written to the page or to a comparison.
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import os
import secrets
import sys
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from analysis.i18n import LANGUAGES, t

TOKEN_VARIABLE = "BERDAYA_TOKEN"  # how `berdaya viz` hands the token to the server process
TOKEN_COOKIE = "berdaya_token"
OWNER_COOKIE = "berdaya_owner"
YEAR_S = 365 * 24 * 3600


def new_token() -> str:
    return secrets.token_urlsafe(16)


def owner_key(cookie: str | None) -> str:
    """What a comparison records of the browser that started it: a hash, never the cookie itself."""
    return hashlib.sha256(cookie.encode()).hexdigest()[:24] if cookie else ""


def refusal_page() -> bytes:
    """The 403 page: what is missing and what to do, in every language of the project."""
    parts = [f'<p lang="{lang}">{html.escape(t("gate.refused", lang))}</p>' for lang in LANGUAGES]
    title = html.escape(t("gate.title", "en"))
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>"
        f'<body style="font-family: sans-serif; max-width: 36em; margin: 2em auto; padding: 0 1em">'
        f"<h1>403</h1>{''.join(parts)}</body></html>"
    ).encode()


def _cookies(scope: dict) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _loopback(scope: dict) -> bool:
    client = scope.get("client") or ("", 0)
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


class Gate:
    """ASGI middleware: the token check, ``/resourcez`` closed to strangers, and the owner cookie."""

    def __init__(self, app, token: str | None):
        self.app, self.token = app, token or None

    def _holds(self, given: str | None, cookie: str | None) -> bool:
        return any(secrets.compare_digest(value.encode(), self.token.encode()) for value in (given, cookie) if value)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        cookies = _cookies(scope)
        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [None])[0]
        allowed = self.token is None or self._holds(given, cookies.get(TOKEN_COOKIE))
        if scope["path"].rstrip("/").endswith("/resourcez"):
            allowed = allowed and (self.token is not None or _loopback(scope))
        if not allowed:
            return await self._refuse(scope, receive, send)
        setting = []
        if self.token and given and cookies.get(TOKEN_COOKIE) != self.token:
            setting.append(f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={YEAR_S}")
        if OWNER_COOKIE not in cookies:
            setting.append(f"{OWNER_COOKIE}={secrets.token_urlsafe(18)}; Path=/; SameSite=Strict; Max-Age={YEAR_S}")
        if scope["type"] != "http" or not setting:
            return await self.app(scope, receive, send)

        async def with_cookies(message):
            if message["type"] == "http.response.start":
                extra = [(b"set-cookie", value.encode("latin-1")) for value in setting]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await self.app(scope, receive, with_cookies)

    @staticmethod
    async def _refuse(scope, receive, send):
        if scope["type"] == "websocket":  # closed before it is accepted: the browser sees HTTP 403
            await send({"type": "websocket.close", "code": 1008})
            return
        body = refusal_page()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def main(argv: list[str]) -> None:
    """``solara run APP ...`` with its app behind the gate (the token, if any, from ``$BERDAYA_TOKEN``)."""
    os.environ["SOLARA_APP"] = argv[1]  # read when Solara's server module is imported, as `solara run` sets it
    import solara.server.starlette as served
    from solara.__main__ import main as solara_main

    served.app = Gate(served.app, os.environ.get(TOKEN_VARIABLE))
    sys.argv = ["solara", *argv]
    solara_main()


if __name__ == "__main__":
    main(sys.argv[1:])
