"""What both schemathesis runs need: the configuration, Talkdesk and Webex auth, and the presigned upload.

Used in-process by the pytest integration (tests/property/test_schemathesis_*.py, against the mock's ASGI app)
and over HTTP by `scripts/fuzz.py` through tests/property/schemathesis_hooks.py (the `schemathesis run` CLI).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import schemathesis
from schemathesis import Case, Config
from schemathesis.generation.meta import TestPhase

from attachkit._specs import spec_path

REPO = Path(__file__).resolve().parents[2]
CONFIG_PATH = REPO / "schemathesis.toml"
ASGI_ROOT = "http://testserver"  # the host schemathesis' ASGI client sends to
TALKDESK_PREFIX = "/talkdesk"
WEBEX_PREFIX = "/webex/v1"
PREFIXES = {
    "talkdesk-attachments": TALKDESK_PREFIX,
    "talkdesk-digital-connect": TALKDESK_PREFIX,
    "webex-attachment-actions": WEBEX_PREFIX,
    "webex-messages": WEBEX_PREFIX,
    "webex-webhooks": WEBEX_PREFIX,
}
UPLOAD_BYTES = b"attachkit property test upload\n"


def load_config() -> Config:
    """The repository's schemathesis.toml, wherever pytest runs from."""
    return Config.from_path(str(CONFIG_PATH))


def load_schema(name: str, *, app: Any = None, base_url: str | None = None, config: Config | None = None) -> Any:
    """Spec `name` as a schemathesis schema, aimed at `app` in-process (or at `base_url` over HTTP)."""
    schema = schemathesis.openapi.from_path(spec_path(name), config=config or load_config())
    if app is not None:
        schema.app = app
        base_url = base_url or ASGI_ROOT + PREFIXES[name]
    if base_url is not None:
        schema.config.update(base_url=base_url)
    return schema


@dataclasses.dataclass
class Credentials:
    """Where to get a Talkdesk token and how, and the Webex token."""

    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    webex_token: str | None = None


def http_session(app: Any = None) -> requests.Session:
    """A requests session over HTTP, or into the ASGI `app` in-process (the client schemathesis itself uses)."""
    if app is not None:
        from schemathesis.python import asgi

        return asgi.get_client(app)
    return requests.Session()


def fetch_talkdesk_token(credentials: Credentials, app: Any = None) -> str:
    """A client-credentials token: HTTP Basic client authentication and a form body, as Talkdesk documents."""
    assert credentials.token_url and credentials.client_id and credentials.client_secret
    with http_session(app) as session:
        response = session.post(
            credentials.token_url,
            data={"grant_type": "client_credentials"},
            auth=(credentials.client_id, credentials.client_secret),
            headers={"Accept": "application/json"},
            timeout=30,
        )
    response.raise_for_status()
    token = response.json()["access_token"]
    assert isinstance(token, str) and token
    return token


class TalkdeskAuth:
    """A schemathesis auth provider: a client-credentials token from the token endpoint, as `Bearer`."""

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials

    def get(self, case: Case, context: Any) -> str:
        return fetch_talkdesk_token(self.credentials, context.app)

    def set(self, case: Case, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


class WebexAuth:
    """A schemathesis auth provider: the Webex access token, as `Bearer`."""

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials

    def get(self, case: Case, context: Any) -> str:
        assert self.credentials.webex_token
        return self.credentials.webex_token

    def set(self, case: Case, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def operation_id(case: Case) -> str:
    return str(case.operation.definition.raw.get("operationId"))


def mock_credentials(root: str = ASGI_ROOT) -> Credentials:
    """The mock's documented local credentials; its token endpoint under `root`."""
    from attachkit.testing import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_WEBEX_TOKEN

    return Credentials(
        token_url=root + TALKDESK_PREFIX + "/oauth/token",
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        webex_token=DEFAULT_WEBEX_TOKEN,
    )


def add_auth(schema: Any, name: str, *, credentials: Credentials | None = None) -> None:
    """Sign every generated request of `schema` (spec `name`) as its vendor wants.

    A Talkdesk token is cached per mock app (a `ResettableApp` gets a new one per scenario).
    """
    credentials = credentials or mock_credentials()
    base = WebexAuth if name.startswith("webex") else TalkdeskAuth

    class Provider(base):
        def __init__(self) -> None:
            super().__init__(credentials)

    def cache_key(case: Case, context: Any) -> int:
        # Not id() of the current app: a fresh app may reuse the id of the one it replaced.
        return int(getattr(context.app, "generation", 0))

    schema.auth(cache_by_key=cache_key)(Provider)


class ResettableApp:
    """An ASGI app that forwards to a mock app, which `reset()` replaces with a fresh one.

    The stateful phase resets it before each scenario, so scenarios do not see each other's data: a scenario
    then behaves the same when Hypothesis replays it to shrink a failure.
    """

    def __init__(self) -> None:
        from attachkit.testing import create_app

        self._create = create_app
        self.current = create_app()
        self.generation = 0  # bumped by every reset: tokens are cached per generation

    def reset(self) -> None:
        self.current.close()
        self.current = self._create()
        self.generation += 1

    def close(self) -> None:
        self.current.close()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.current(scope, receive, send)


def upload_content_type(case: Case) -> str | None:
    """A content type the link accepts: the first of its `allowed_mime_types` that can travel as a header
    value as is, or `text/plain` when the link allows any. None: none of them can be sent."""
    body = case.body if isinstance(case.body, dict) else {}
    allowed = body.get("allowed_mime_types") or []
    if not isinstance(allowed, list) or not allowed:
        return "text/plain"
    for media_type in allowed:
        if (
            isinstance(media_type, str)
            and media_type
            and media_type.isascii()
            and media_type.isprintable()
            and ";" not in media_type
            and media_type == media_type.strip()
        ):
            return media_type
    return None


def upload_after_upload_link(case: Case, response: Any, *, app: Any = None) -> bool:
    """The step between "request an upload link" and "create the attachment": PUT bytes to the link.

    Done for stateful steps only, where the link's `request_id` feeds `create_attachment`. Returns whether it
    uploaded (not when the link only allows media types that cannot be sent as a header value).
    """
    if operation_id(case) != "request_upload_link" or response.status_code != 200:
        return False
    meta = case.meta
    if meta is None or meta.phase.name != TestPhase.STATEFUL:
        return False
    content_type = upload_content_type(case)
    if content_type is None:
        return False
    url = response.json()["url"]
    if app is not None:
        url = urlsplit(url)._replace(scheme="http", netloc=urlsplit(ASGI_ROOT).netloc).geturl()
    with http_session(app) as session:
        put = session.put(url, data=UPLOAD_BYTES, headers={"Content-Type": content_type}, timeout=60)
    if put.status_code >= 300:
        raise AssertionError(f"the presigned upload to {url} answered {put.status_code}: {put.text[:200]}")
    return True
