from typing import Literal

CardAttachmentContentType = Literal["application/vnd.microsoft.card.adaptive"]

CARD_ATTACHMENT_CONTENT_TYPE_VALUES: set[CardAttachmentContentType] = {
    "application/vnd.microsoft.card.adaptive",
}


def check_card_attachment_content_type(value: str) -> CardAttachmentContentType:
    if value in CARD_ATTACHMENT_CONTENT_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CARD_ATTACHMENT_CONTENT_TYPE_VALUES!r}"
    )
