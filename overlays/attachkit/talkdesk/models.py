"""The Talkdesk models: the generated attrs classes, plus `SentMessage`.

Generated from `openapi/talkdesk-attachments.yaml` and `openapi/talkdesk-digital-connect.yaml`; each class's
docstring is its schema's description, and each field's docstring is the field's description.

Field names are the JSON names in snake_case (`request_id`, `created_at`), with two renames, applied by the
generator and not mapped back: a name that is a Python keyword or builtin gets a trailing underscore
(`type` -> `type_`, `self` -> `self_`), and a name starting with `_` gets the prefix `field_`
(`_links` -> `field_links`). Each renamed field's docstring names its JSON field; `to_dict()` and
`from_dict()` always use the JSON names. So `attachment.field_links.self_.href` is `_links.self.href`.

An optional field the response left out holds `attachkit.types.UNSET` (falsy, and not `None`). An object
the API leaves free-form is a plain `dict[str, Any]`: `Metadata`, `AttachmentProvider` and
`StartConversationRequestContextParameters` are aliases of it, so `attachment.metadata["flow_id"]` reads a key.
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
