"""The Webex models: the generated attrs classes from `openapi/webex-attachment-actions.yaml`,
`openapi/webex-messages.yaml` and `openapi/webex-webhooks.yaml`.

Each class's docstring is its schema's description, and each field's docstring is the field's description.

Field names are the JSON names in snake_case (`messageId` -> `message_id`, `personId` -> `person_id`), with
one more rename, applied by the generator and not mapped back: a name that is a Python keyword or builtin gets
a trailing underscore (`type` -> `type_`). Each renamed field's docstring names its JSON field; `to_dict()` and
`from_dict()` always use the JSON names.

`Inputs` is a plain `dict[str, Any]` (an alias): the card's input ids mapped to the submitted values, so
`action.inputs["Name"]` reads one. An optional field the response left out holds `attachkit.types.UNSET`
(falsy, and not `None`), so `message.files or []` reads a message's content URLs as a `list[str]`.
"""

from attachkit._generated.webex_attachment_actions.models import (
    AttachmentActivity,
    Error,
    ErrorDetail,
    Inputs,
    SubmitCardAction,
    SubmitCardActionType,
)
from attachkit._generated.webex_messages.models import (
    AdaptiveCard,
    CardAttachment,
    CardAttachmentContentType,
    Message,
    MessageCreate,
    MessageCreateMultipart,
)
from attachkit._generated.webex_webhooks.models import (
    Webhook,
    WebhookCollection,
    WebhookCreate,
    WebhookEvent,
    WebhookEventData,
    WebhookUpdate,
)

AttachmentAction = AttachmentActivity
"""The name the SDK uses for an attachment action (the spec calls the schema `AttachmentActivity`)."""

__all__ = [
    "AdaptiveCard",
    "AttachmentAction",
    "AttachmentActivity",
    "CardAttachment",
    "CardAttachmentContentType",
    "Error",
    "ErrorDetail",
    "Inputs",
    "Message",
    "MessageCreate",
    "MessageCreateMultipart",
    "SubmitCardAction",
    "SubmitCardActionType",
    "Webhook",
    "WebhookCollection",
    "WebhookCreate",
    "WebhookEvent",
    "WebhookEventData",
    "WebhookUpdate",
]
