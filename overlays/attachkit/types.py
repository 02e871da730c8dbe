"""`Unset` and `UNSET`: the marker of a field the JSON body left out.

A generated model's optional field holds `UNSET` when the body did not carry it (`UNSET` is falsy, and it is
not `None`, which stands for JSON null). The three generated packages share this one class, so one check
serves every model of every vendor:

    from attachkit.types import Unset

    if not isinstance(attachment.size, Unset):
        print(attachment.size)

This module is the one place users import them from; the models modules do not re-export them.
"""

from attachkit._generated._unset import UNSET, Unset

__all__ = ["UNSET", "Unset"]
