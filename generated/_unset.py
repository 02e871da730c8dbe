"""`Unset` and `UNSET`, shared by every generated package (written by scripts/regenerate.py).

A model field whose JSON key was absent holds `UNSET` (falsy, and distinct from `None`, which is JSON null).
Each package's `types.py` imports them from here, so `isinstance(value, Unset)` holds whichever spec the model
comes from. Users import them from `attachkit.types`.
"""

from typing import Literal


class Unset:
    """The type of `UNSET`: the value of a field the JSON object did not carry."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

__all__ = ["UNSET", "Unset"]
