"""``multipart/form-data`` request bodies, read with the standard library's MIME parser (no extra dependency).

The request has already been read whole (within the size limit). This runs before openapi-core validates it (whose
own multipart reader fails on malformed bodies), so a body it cannot read is a 400 here; it turns the body into the
fields a handler works with: text fields as strings, file parts as :class:`FormFile`.
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
from email.message import Message

from ._dialects import FieldError, Problem


@dataclasses.dataclass(frozen=True)
class FormFile:
    """One file part: its field name, the file name the client gave, its media type and its bytes."""

    field: str
    filename: str
    content_type: str
    data: bytes = dataclasses.field(repr=False)


@dataclasses.dataclass(frozen=True)
class Form:
    """A parsed form: text fields (the last value of a repeated field wins) and file parts, in order."""

    fields: dict[str, str]
    files: tuple[FormFile, ...]

    def count(self, name: str) -> int:
        """How many parts, text or file, carry this field name."""
        return sum(1 for f in self.files if f.field == name) + (1 if name in self.fields else 0)


def _bad(description: str) -> Problem:
    return Problem(400, "invalid_request", "Malformed multipart body", fields=(FieldError("body", description),))


def parse_form(raw: bytes, content_type: str) -> Form | Problem:
    """The form in a ``multipart/form-data`` body, or the 400 a malformed one gets."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", errors="replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        return _bad("not a multipart body")
    parts = message.get_payload()
    if not isinstance(parts, list) or message.defects:
        return _bad("the multipart body is malformed")
    fields: dict[str, str] = {}
    files: list[FormFile] = []
    for part in parts:
        if not isinstance(part, Message) or part.is_multipart():
            return _bad("the multipart body is malformed (a part is missing, or is itself multipart)")
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            return _bad("a part has no name in its Content-Disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files.append(FormFile(name, filename, part.get_content_type(), data))
        else:
            charset = part.get_content_charset() or "utf-8"
            try:
                fields[name] = data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                return Problem(
                    400, "invalid_request", "Malformed multipart body", fields=(FieldError(name, "is not text"),)
                )
    return Form(fields, tuple(files))
