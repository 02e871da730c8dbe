"""Webex attachment actions: Adaptive Card submissions, read back by id.

For example:

    from attachkit.webex import WebexClient

    with WebexClient() as wx:                      # token from WEBEX_ACCESS_TOKEN
        action = wx.attachment_actions.create(message_id="...", inputs={"Name": "Ada"})
        if action is not None:                     # None only for a 204 without a body
            print(wx.attachment_actions.get(action.id).inputs)
"""

from attachkit._async.webex import AsyncWebexClient
from attachkit._async.webex_attachment_actions import AsyncAttachmentActions
from attachkit._generated._sync.webex import WebexClient
from attachkit._generated._sync.webex_attachment_actions import AttachmentActions
from attachkit._generated.webex_webhooks.models import WebhookEvent

from ._configure import DEFAULT_BASE_URL
from ._signature import verify_webhook

__all__ = [
    "DEFAULT_BASE_URL",
    "AsyncAttachmentActions",
    "AsyncWebexClient",
    "AttachmentActions",
    "WebexClient",
    "WebhookEvent",
    "verify_webhook",
]
