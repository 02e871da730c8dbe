"""Talkdesk Attachments and Digital Connect.

For example:

    from attachkit.talkdesk import TalkdeskClient

    with TalkdeskClient(account="acme", client_id="...", client_secret="...", region="us") as td:
        attachment = td.attachments.upload("invoice.pdf")
        conversation = td.conversations.start(touchpoint_id="tp-1", contact_person={"email": "a@b.c"})
        sent = td.conversations.send_message(conversation.id, content="see attached", attachments=[attachment])
        if sent.partial:
            print("some attachments failed:", sent.partial_fail_reason)
"""

from attachkit._async.talkdesk import AsyncTalkdeskClient
from attachkit._async.talkdesk_attachments import AsyncAttachments
from attachkit._async.talkdesk_conversations import AsyncConversations
from attachkit._generated._sync.talkdesk import TalkdeskClient
from attachkit._generated._sync.talkdesk_attachments import Attachments
from attachkit._generated._sync.talkdesk_conversations import Conversations

from ._models import SentMessage, StartedConversation
from ._regions import REGIONS, Region, RegionName

__all__ = [
    "REGIONS",
    "AsyncAttachments",
    "AsyncConversations",
    "AsyncTalkdeskClient",
    "Attachments",
    "Conversations",
    "Region",
    "RegionName",
    "SentMessage",
    "StartedConversation",
    "TalkdeskClient",
]
