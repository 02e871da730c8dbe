"""attachkit.testing: a local, stateful mock of Talkdesk (Attachments, Digital Connect) and Webex (attachment actions,
messages with cards and files, file downloads through malware scanning, webhooks with signed deliveries).

Routes, request validation and response validation come from attachkit's OpenAPI documents at run time, so the
mock follows the specs. Install with the extra ``attachkit[mock]``.

Start it
--------
- ``python -m attachkit.testing --port 8080`` (blocking; prints the URLs and ``export`` lines), or :func:`serve`.
- ``with MockServer() as mock:`` runs it on a free loopback port in a background thread; pass
  ``mock.talkdesk_kwargs()`` / ``mock.webex_kwargs()`` to the clients (typed as ``TalkdeskKwargs`` /
  ``WebexKwargs``, so ``TalkdeskClient(**mock.talkdesk_kwargs())`` passes ``mypy --strict``).
- ``create_app()`` returns the ASGI app for in-process use (``httpx.ASGITransport(app=create_app())``).
- The pytest fixture ``attachkit_mock`` (entry point ``pytest11``) gives each test a running ``MockServer``;
  ``attachkit_mock_app`` an in-process ``MockApp`` (``app.asgi_client()`` for the async clients).

Layout of one server: Talkdesk under ``/talkdesk`` (token endpoint ``/talkdesk/oauth/token``), Webex under
``/webex/v1``, upload and download links under ``/storage/...``, the specs at ``/specs/<name>.yaml``, the control
plane under ``/_mock/``.

Local credentials (all configurable): account ``attachkit-mock``, client id ``attachkit-mock-client``, client secret
``attachkit-mock-secret``, Webex token ``attachkit-mock-webex-token``.

Inspect and steer it: ``mock.state`` (uploads, attachments, conversations, messages, actions, Webex messages,
contents, webhooks and deliveries, and request counts per operation id: ``mock.state.counts("send_message")``),
``mock.clock.advance(seconds)`` (expires tokens and links, ends a Webex file's malware scan),
``mock.expire_tokens()``, ``mock.faults``, ``mock.response_violations``.

Bounded memory: the history keeps the last ``history_limit`` requests and the state the last ``record_limit``
records of each kind (both 10,000 by default); the oldest are dropped and counted (``mock.state.history_dropped``,
``mock.state.dropped_records``). History entries (``mock.state.history``, ``mock.calls(op)``) carry timing,
headers and text bodies with secrets redacted (credential headers, token and secret fields, storage link tokens,
the configured secrets); ``mock.assert_called(op, times=N)`` and ``mock.assert_not_called(op)`` check the counts.

Control plane over HTTP, under ``/_mock/`` (``openapi/mock-control.yaml``), for a mock in another process:
``GET /_mock/state``, ``GET /_mock/requests`` (``operation``, ``since``, ``limit``), ``GET|POST|DELETE
/_mock/faults`` (POST ``{"spec": "send_message:429:times=1"}``), ``POST /_mock/reset``, ``POST
/_mock/clock/advance`` (``{"seconds": N}``), ``GET /_mock/deliveries``, ``GET /_mock/violations``. Every route needs
``Authorization: Bearer <admin token>`` (``MockConfig.admin_token``, random by default, printed as
``ATTACHKIT_MOCK_ADMIN_TOKEN`` next to ``ATTACHKIT_MOCK_URL``); otherwise 401. Control requests are not faulted and
not recorded. Reset forgets records, counts, history, deliveries and violations, removes faults and puts the clock
back; it keeps the configuration and issued tokens. :class:`RemoteMock` (``RemoteMock(url, admin_token)`` or
``RemoteMock.from_env()``) is the Python handle on it (``state``, ``faults.add/add_spec/rules/clear``,
``clock.advance``, ``history()``, ``deliveries``, ``violations``, ``reset()``), and ``attachkit mock fault add
SPEC``, ``fault list``, ``fault clear``, ``state``, ``requests``, ``clock advance N``, ``reset`` the shell's.

Webex webhooks: the mock POSTs each event (a message or an attachment action created) to every active, matching
webhook in the background, signed with ``X-Spark-Signature`` when the webhook has a secret; targets must be on
loopback. ``mock.wait_for_deliveries(n)`` and ``mock.wait_until_idle()`` wait for them (no sleeping), and
``mock.deliveries`` lists them (:class:`Delivery`: webhook id, resource, event, target, status or error, signature,
body). Options: ``webex_scan_seconds``, ``webhook_failure_limit``, ``webhook_timeout``.

Validating proxy (checking the real APIs): with ``upstreams`` (``attachkit mock --upstream talkdesk=URL --upstream
webex=URL``; ``talkdesk-token=URL`` for the token endpoint), the API calls of each vendor named are forwarded to its
upstream instead of answered, unchanged both ways, and every request and answer is checked against the specs. The
mock checks no credentials of its own there (the integration sends its real ones; the upstream decides); faults
still apply in front of the upstream. Each violation (operation, request or response, status, field) is in the
history entry's ``violations``, at ``GET /_mock/violations`` and in ``mock.proxy.report()`` / ``summary()``;
``attachkit mock`` prints the summary on exit, ``report_file`` (``--report FILE``) gets the report as JSON and
``record_file`` (``--record FILE``) one JSON line per exchange. Secrets (the configured ones and those learned from
the traffic: credentials, issued tokens, webhook secrets) never appear in any of them. ``mock.proxy`` is None
without upstreams.

Importing this package is cheap and needs no extra: the names below load on first use (so the pytest plugin costs
nothing until a test asks for ``attachkit_mock``). Without ``attachkit[mock]`` installed, using one raises
ModuleNotFoundError saying so.

Fault syntax (``--fault`` on the command line, ``mock.faults.add_spec(...)`` in Python)
-------------------------------------------------------------------------------------
``TARGET:ITEM[:ITEM...]``. TARGET is an operationId (``send_message``, ``create_attachment_action``...), ``token``,
``upload``, ``download``, ``webhook_delivery`` (the deliveries the mock sends, below) or ``*`` (every request, not
deliveries). ITEMs:

================================  ==================================================================================
``NNN``                           answer this status (429, 423, 500, 502, 503, 504, or any status the spec
                                  documents for the target) in the vendor's error shape
``retry-after=N``                 ``Retry-After: N`` (seconds)
``retry-after-date=N``            ``Retry-After`` as an HTTP-date N seconds ahead
``retry-after-ms=N``              ``retry-after-ms: N`` instead of ``Retry-After``
``retry-after-raw=TEXT``          ``Retry-After: TEXT`` verbatim, e.g. ``rand(30),add(30)``; takes the rest of the
                                  string, colons included, so put it last
``html``                          an HTML body (only where the spec documents one: Webex errors)
``latency=S``                     wait S seconds (a float) first; alone, the request is then served normally
``drop-before`` / ``drop-after``  cut the connection before processing, or after processing (state changed) and
                                  before answering
``times=N``                       only the next N matching requests
``p=F`` and ``seed=N``            each matching request with probability F, from a generator seeded with N
``drop``                          (``webhook_delivery`` only) the delivery is never sent; ``drop-before`` says
                                  the same there
``duplicate``                     (``webhook_delivery`` only) the delivery is sent twice, same bytes and signature
``bad-signature``                 (``webhook_delivery`` only) ``X-Spark-Signature`` is sent with a wrong value
================================  ==================================================================================

On ``webhook_delivery`` the items are ``latency`` (the delivery waits first), ``drop``, ``duplicate`` and
``bad-signature``, with ``times``, ``p`` and ``seed``; a status is refused there.

Without ``times`` or ``p`` a rule applies to every matching request. The first rule that fires decides a request's
fault. Examples: ``send_message:429:retry-after=2:times=1``, ``create_attachment:drop-after:times=1``,
``*:503:p=0.1:seed=7``, ``token:latency=2``, ``create_attachment_action:429:html:retry-after-raw=rand(30),add(30)``,
``webhook_delivery:duplicate:times=1``, ``webhook_delivery:drop:p=0.5:seed=3``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import MockApp, ResponseViolation, create_app
    from ._clock import Clock
    from ._config import (
        DEFAULT_ACCOUNT,
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
        DEFAULT_WEBEX_TOKEN,
        MockConfig,
        MockOptions,
    )
    from ._faults import FaultRule, Faults, RetryAfter, parse_fault
    from ._kwargs import TalkdeskKwargs, WebexKwargs
    from ._remote import RemoteMock, RemoteMockError
    from ._server import MockServer, export_lines, serve
    from ._state import (
        Action,
        Attachment,
        Content,
        Conversation,
        Delivery,
        DownloadLink,
        Message,
        MockState,
        RequestCounts,
        RequestRecord,
        Upload,
        WebexMessage,
        Webhook,
    )

# Public name -> the private module defining it, imported on first access (PEP 562).
_EXPORTS = {
    "MockApp": "_app",
    "ResponseViolation": "_app",
    "create_app": "_app",
    "Clock": "_clock",
    "DEFAULT_ACCOUNT": "_config",
    "DEFAULT_CLIENT_ID": "_config",
    "DEFAULT_CLIENT_SECRET": "_config",
    "DEFAULT_WEBEX_TOKEN": "_config",
    "MockConfig": "_config",
    "MockOptions": "_config",
    "FaultRule": "_faults",
    "Faults": "_faults",
    "RetryAfter": "_faults",
    "parse_fault": "_faults",
    "TalkdeskKwargs": "_kwargs",
    "WebexKwargs": "_kwargs",
    "RemoteMock": "_remote",
    "RemoteMockError": "_remote",
    "MockServer": "_server",
    "export_lines": "_server",
    "serve": "_server",
    "Action": "_state",
    "Attachment": "_state",
    "Content": "_state",
    "Conversation": "_state",
    "Delivery": "_state",
    "DownloadLink": "_state",
    "Message": "_state",
    "MockState": "_state",
    "RequestCounts": "_state",
    "RequestRecord": "_state",
    "Upload": "_state",
    "WebexMessage": "_state",
    "Webhook": "_state",
}


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = importlib.import_module("." + module_name, __name__)
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == "attachkit":
            raise
        raise ModuleNotFoundError(
            f"attachkit.testing needs the mock extra: pip install 'attachkit[mock]' (module {exc.name!r} is missing)",
            name=exc.name,
        ) from exc
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_WEBEX_TOKEN",
    "Action",
    "Attachment",
    "Clock",
    "Content",
    "Conversation",
    "Delivery",
    "DownloadLink",
    "FaultRule",
    "Faults",
    "Message",
    "MockApp",
    "MockConfig",
    "MockOptions",
    "MockServer",
    "MockState",
    "RemoteMock",
    "RemoteMockError",
    "RequestCounts",
    "RequestRecord",
    "ResponseViolation",
    "RetryAfter",
    "TalkdeskKwargs",
    "Upload",
    "WebexKwargs",
    "WebexMessage",
    "Webhook",
    "create_app",
    "export_lines",
    "parse_fault",
    "serve",
]
