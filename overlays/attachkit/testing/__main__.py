"""``python -m attachkit.testing``: the ``attachkit mock`` command under another name (one command line, not two).

That command is built on click, from the ``cli`` extra; without it this prints how to install it and exits 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

PROG_NAME = "python -m attachkit.testing"
_CLI_EXTRA = frozenset({"click", "rich"})


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``attachkit mock`` with ``argv`` (default: the process's arguments); exits with its status."""
    try:
        from ..cli._mock import mock
        from ..cli._output import Output
        from ..cli._state import State
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in _CLI_EXTRA:
            raise  # not a missing extra: a bug, let it show
        print(f"error: {PROG_NAME} needs the cli extra: pip install 'attachkit[cli]'", file=sys.stderr)
        raise SystemExit(2) from None
    # The root `attachkit` group would create the State; standing alone, the command gets its own.
    mock.main(args=None if argv is None else list(argv), prog_name=PROG_NAME, obj=State(Output()))


if __name__ == "__main__":
    main()
