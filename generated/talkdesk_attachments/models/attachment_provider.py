"""Undocumented; presumably the storage provider."""

from typing import Any, TypeAlias

AttachmentProvider: TypeAlias = dict[str, Any]
"""Undocumented; presumably the storage provider."""
