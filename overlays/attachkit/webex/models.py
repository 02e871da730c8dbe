"""The Webex models: the generated attrs classes from `openapi/webex-attachment-actions.yaml`."""

from attachkit._generated.webex_attachment_actions.models import (
    AttachmentActivity,
    AttachmentActivityType,
    Error,
    ErrorDetail,
    Inputs,
    SubmitCardAction,
    SubmitCardActionType,
)

AttachmentAction = AttachmentActivity
"""The name the SDK uses for an attachment action (the spec calls the schema `AttachmentActivity`)."""

__all__ = [
    "AttachmentAction",
    "AttachmentActivity",
    "AttachmentActivityType",
    "Error",
    "ErrorDetail",
    "Inputs",
    "SubmitCardAction",
    "SubmitCardActionType",
]
