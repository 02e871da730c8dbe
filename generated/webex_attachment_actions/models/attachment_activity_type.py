from typing import Literal

AttachmentActivityType = Literal["submit"]

ATTACHMENT_ACTIVITY_TYPE_VALUES: set[AttachmentActivityType] = {
    "submit",
}


def check_attachment_activity_type(value: str) -> AttachmentActivityType:
    if value in ATTACHMENT_ACTIVITY_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ATTACHMENT_ACTIVITY_TYPE_VALUES!r}"
    )
