"""Listed on the page without a description (presumably the storage provider); any keys, any JSON values."""

from typing import Any, TypeAlias

AttachmentProvider: TypeAlias = dict[str, Any]
"""Listed on the page without a description (presumably the storage provider); any keys, any JSON values."""
