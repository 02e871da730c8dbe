"""The `attachkit` command line (extra `attachkit[cli]`), built on click and rich.

    attachkit [--json] [--version]
      talkdesk [--account --client-id --client-secret --region --base-url --token-url]
        upload FILE [--name] [--type] [--metadata k=v ...]
        get ID | download ID [-o PATH] | download-link ID
        start --touchpoint ID [--subject] [--email] [--idempotency-key]
        send CONVERSATION_ID --content TEXT [--attach FILE_OR_ID ...] [--idempotency-key]
      webex [--token --base-url]
        action create MESSAGE_ID (--input k=v ... | --inputs-json FILE)
        action get ID
      mock [--host] [--port] [--fault SPEC ...]

Exit codes: 0 ok, 1 API or connection error, 2 usage or validation error, 3 partial success.
"""

from ._app import cli
from ._errors import ExitCode

__all__ = ["ExitCode", "cli", "main"]


def main() -> None:
    """The console script's entry point."""
    cli.main(prog_name="attachkit")
