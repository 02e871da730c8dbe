"""Webex attachment actions: Adaptive Card submissions.

from attachkit.webex import WebexClient

with WebexClient() as wx:                      # token from WEBEX_ACCESS_TOKEN
    action = wx.attachment_actions.create(message_id="...", inputs={"Name": "Ada"})
    print(wx.attachment_actions.get(action.id).inputs)
"""

from ._client import DEFAULT_BASE_URL, AsyncWebexClient, WebexClient

__all__ = ["DEFAULT_BASE_URL", "AsyncWebexClient", "WebexClient"]
