"""Talkdesk Attachments and Digital Connect.

from attachkit.talkdesk import TalkdeskClient

with TalkdeskClient(account="acme", client_id="...", client_secret="...", region="us") as td:
    attachment = td.attachments.upload("invoice.pdf")
    conversation = td.conversations.start(touchpoint_id="tp-1", contact_person={"email": "a@b.c"})
    sent = td.conversations.send_message(conversation.id, content="see attached", attachments=[attachment])
    if sent.partial:
        print("some attachments failed:", sent.partial_fail_reason)
"""

from ._client import AsyncTalkdeskClient, TalkdeskClient
from ._models import SentMessage
from ._regions import REGIONS, Region

__all__ = ["REGIONS", "AsyncTalkdeskClient", "Region", "SentMessage", "TalkdeskClient"]
