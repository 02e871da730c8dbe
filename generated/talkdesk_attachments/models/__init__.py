"""Contains all the data models used in inputs/outputs"""

from .attachment import Attachment
from .attachment_links import AttachmentLinks
from .attachment_provider import AttachmentProvider
from .create_attachment_request import CreateAttachmentRequest
from .download_link import DownloadLink
from .error import Error
from .error_field import ErrorField
from .link import Link
from .metadata import Metadata
from .upload_link import UploadLink
from .upload_link_request import UploadLinkRequest

__all__ = (
    "Attachment",
    "AttachmentLinks",
    "AttachmentProvider",
    "CreateAttachmentRequest",
    "DownloadLink",
    "Error",
    "ErrorField",
    "Link",
    "Metadata",
    "UploadLink",
    "UploadLinkRequest",
)
