"""Contains all the data models used in inputs/outputs"""

from .attachment_activity import AttachmentActivity
from .attachment_activity_type import AttachmentActivityType
from .error import Error
from .error_detail import ErrorDetail
from .inputs import Inputs
from .submit_card_action import SubmitCardAction
from .submit_card_action_type import SubmitCardActionType

__all__ = (
    "AttachmentActivity",
    "AttachmentActivityType",
    "Error",
    "ErrorDetail",
    "Inputs",
    "SubmitCardAction",
    "SubmitCardActionType",
)
