"""Contains all the data models used in inputs/outputs"""

from .adaptive_card import AdaptiveCard
from .card_attachment import CardAttachment
from .card_attachment_content_type import CardAttachmentContentType
from .error import Error
from .error_detail import ErrorDetail
from .get_content_allow import GetContentAllow
from .message import Message
from .message_create import MessageCreate
from .message_create_multipart import MessageCreateMultipart

__all__ = (
    "AdaptiveCard",
    "CardAttachment",
    "CardAttachmentContentType",
    "Error",
    "ErrorDetail",
    "GetContentAllow",
    "Message",
    "MessageCreate",
    "MessageCreateMultipart",
)
