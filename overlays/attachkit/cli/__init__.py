"""The `attachkit` command line (extra `attachkit[cli]`), built on click and rich.

    attachkit [--json] [--version]
      talkdesk [--account --client-id --client-secret --region --base-url --token-url]
        upload FILE [--name] [--type] [--metadata k=v ...]
        get ID | download ID [-o PATH] [--force] | download-link ID
        start --touchpoint ID [--subject] [--email] [--idempotency-key]
        send CONVERSATION_ID --content TEXT [--attach FILE_OR_ID ...] [--idempotency-key]
      webex [--token --base-url]
        message send (--room-id|--to-person-id|--to-person-email) [--text] [--markdown] [--parent-id]
                     [--card FILE|-] [--file PATH|- [--file-name] [--content-type]]
        message get ID | message delete ID
        webhook create|ensure --name --target-url --resource --event [--filter] [--secret]
        webhook list [--max] [--owned-by] | get ID | update ID [...] | delete ID
        listen --port N [--secret] [--host]
        action create MESSAGE_ID (--input k=v ... | --inputs-json FILE)
        action get ID
        download URL_OR_ID [-o PATH|DIR|-] [--force] [--allow-unscannable] [--max-scan-wait S]
      mock [--host] [--port] [--fault SPEC ...] [--upstream NAME=URL ... [--record FILE] [--report FILE]]
        fault add SPEC | fault list | fault clear | state | requests | violations | clock advance N | reset

Exit codes: 0 ok, 1 API or connection error, 2 usage or validation error, 3 partial success.
"""

from __future__ import annotations

import sys

from ._errors import ExitCode

# The third-party modules behind `attachkit[cli]`; missing one of these means the extra is not installed.
_CLI_EXTRA = frozenset({"click", "rich"})

try:
    from ._app import cli
except ModuleNotFoundError as exc:
    if (exc.name or "").partition(".")[0] not in _CLI_EXTRA:
        raise  # a bug in attachkit, not a missing extra: let it show
    # Kept so that `main` can explain; importing this package must work for the console script to start.
    _missing: str | None = exc.name
else:
    _missing = None

__all__ = ["ExitCode", "cli", "main"]


def main() -> None:
    """The console script's entry point."""
    if _missing is not None:
        print(
            f"attachkit: the command line needs the cli extra (module {_missing!r} is missing): "
            "pip install 'attachkit[cli]'",
            file=sys.stderr,
        )
        raise SystemExit(ExitCode.USAGE)
    cli.main(prog_name="attachkit")
