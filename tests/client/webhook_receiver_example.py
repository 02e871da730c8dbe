"""The README's webhook receiver: a few lines of Starlette that verify each Webex delivery before acting on it.

Kept here, whole and importable, so that `test_webhook_signature.py` serves it on a loopback socket and posts signed
and forged deliveries to it. Run it yourself with `WEBEX_WEBHOOK_SECRET=... uvicorn module:app`, and register
`https://<your host>/webex/events` with the same secret.
"""

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from attachkit.errors import WebhookSignatureError
from attachkit.webex import WebhookEvent, verify_webhook

received: list[WebhookEvent] = []  # what the bot acts on; here, kept for the test to read


async def webex_events(request: Request) -> Response:
    try:
        # The body exactly as it arrived: the signature is over these bytes, not over re-serialised JSON.
        event = verify_webhook(await request.body(), request.headers, os.environ["WEBEX_WEBHOOK_SECRET"])
    except WebhookSignatureError:
        return Response(status_code=401)  # not signed with our secret: not from Webex, so nothing to do
    # For resource "attachmentActions", event.data.id is the action: wx.attachment_actions.get(event.data.id).inputs
    received.append(event)
    return Response(status_code=200)


app = Starlette(routes=[Route("/webex/events", webex_events, methods=["POST"])])
