from typing import Literal

GetContentAllow = Literal["unscannable"]

GET_CONTENT_ALLOW_VALUES: set[GetContentAllow] = {
    "unscannable",
}


def check_get_content_allow(value: str) -> GetContentAllow:
    if value in GET_CONTENT_ALLOW_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_CONTENT_ALLOW_VALUES!r}"
    )
