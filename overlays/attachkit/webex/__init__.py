"""Webex, the card-and-file loop: post a card or a file, register and verify webhooks, read card submissions,
and download files through Webex's malware scan.

For example:

    from attachkit.webex import WebexClient, verify_webhook

    with WebexClient() as wx:                      # token from WEBEX_ACCESS_TOKEN
        wx.webhooks.ensure(name="bot", target_url="https://bot.example.com/webex/events",
                           resource="attachmentActions", event="created", secret=SECRET)
        wx.messages.create(room_id=ROOM, text="Your name?", card=CARD)

    # in the receiver, for each POST:
    event = verify_webhook(raw_body, headers, SECRET)  # WebhookSignatureError unless Webex signed these bytes
    inputs = wx.attachment_actions.get(event.data.id).inputs
"""

from attachkit._async.webex import AsyncWebexClient
from attachkit._async.webex_attachment_actions import AsyncAttachmentActions
from attachkit._async.webex_messages import AsyncContents, AsyncMessages
from attachkit._async.webex_webhooks import AsyncWebhooks
from attachkit._generated._sync.webex import WebexClient
from attachkit._generated._sync.webex_attachment_actions import AttachmentActions
from attachkit._generated._sync.webex_messages import Contents, Messages
from attachkit._generated._sync.webex_webhooks import Webhooks
from attachkit._generated.webex_webhooks.models import WebhookEvent

from ._configure import DEFAULT_BASE_URL
from ._signature import verify_webhook

__all__ = [
    "DEFAULT_BASE_URL",
    "AsyncAttachmentActions",
    "AsyncContents",
    "AsyncMessages",
    "AsyncWebexClient",
    "AsyncWebhooks",
    "AttachmentActions",
    "Contents",
    "Messages",
    "WebexClient",
    "WebhookEvent",
    "Webhooks",
    "verify_webhook",
]
