"""The Talkdesk models: the generated attrs classes, plus `SentMessage`.

Generated from `openapi/talkdesk-attachments.yaml` and `openapi/talkdesk-digital-connect.yaml`.
"""

from attachkit._generated.talkdesk_attachments.models import (
    Attachment,
    AttachmentLinks,
    AttachmentProvider,
    CreateAttachmentRequest,
    DownloadLink,
    Link,
    Metadata,
    UploadLink,
    UploadLinkRequest,
)
from attachkit._generated.talkdesk_digital_connect.models import (
    ContactPerson,
    Conversation,
    Message,
    MessageAttachment,
    PartialMessage,
    PreviousMessage,
    SendMessageRequest,
    StartConversationRequest,
    StartConversationRequestContextParameters,
)

from ._models import SentMessage

__all__ = [
    "Attachment",
    "AttachmentLinks",
    "AttachmentProvider",
    "ContactPerson",
    "Conversation",
    "CreateAttachmentRequest",
    "DownloadLink",
    "Link",
    "Message",
    "MessageAttachment",
    "Metadata",
    "PartialMessage",
    "PreviousMessage",
    "SendMessageRequest",
    "SentMessage",
    "StartConversationRequest",
    "StartConversationRequestContextParameters",
    "UploadLink",
    "UploadLinkRequest",
]
