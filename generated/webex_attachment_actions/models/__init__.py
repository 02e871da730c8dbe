"""Contains all the data models used in inputs/outputs"""

from .attachment_activity import AttachmentActivity
from .error import Error
from .error_detail import ErrorDetail
from .inputs import Inputs
from .submit_card_action import SubmitCardAction
from .submit_card_action_type import SubmitCardActionType

__all__ = (
    "AttachmentActivity",
    "Error",
    "ErrorDetail",
    "Inputs",
    "SubmitCardAction",
    "SubmitCardActionType",
)
