"""``python -m attachkit.testing``: run the mock of Talkdesk and Webex on loopback until interrupted."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from ._config import DEFAULT_ACCOUNT, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_WEBEX_TOKEN, MockConfig
from ._faults import parse_fault
from ._server import serve


def _fault(text: str) -> str:
    try:
        parse_fault(text)  # fail at argument parsing, with the parser's reason, not at startup
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m attachkit.testing``."""
    parser = argparse.ArgumentParser(
        prog="python -m attachkit.testing",
        description="Run the local mock of Talkdesk Attachments, Digital Connect and Webex Attachment Actions.",
        epilog="Fault syntax: TARGET:ITEM[:ITEM...], e.g. send_message:429:retry-after=2:times=1 "
        "(see `pydoc attachkit.testing`).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: loopback)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 picks a free one; default 8080)")
    parser.add_argument("--fault", action="append", default=[], type=_fault, metavar="SPEC", help="a fault rule")
    parser.add_argument("--account", default=DEFAULT_ACCOUNT)
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
    parser.add_argument("--client-secret", default=None, help="default: attachkit-mock-secret")
    parser.add_argument("--webex-token", default=None, help="default: attachkit-mock-webex-token")
    parser.add_argument("--token-expires-in", type=int, default=600, metavar="SECONDS")
    parser.add_argument("--download-expire-time", type=int, default=600, metavar="SECONDS")
    parser.add_argument("--webex-create-status", type=int, choices=(200, 202), default=200)
    parser.add_argument("--storage-dir", type=Path, default=None, help="keep uploads here instead of a temp dir")
    parser.add_argument("--validate-responses", action="store_true", help="check responses against the specs")
    parser.add_argument("--access-log", action="store_true", help="log every request (URLs include link tokens)")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and serve until interrupted."""
    args = build_parser().parse_args(argv)
    config = MockConfig(
        account=args.account,
        client_id=args.client_id,
        client_secret=args.client_secret or DEFAULT_CLIENT_SECRET,
        webex_token=args.webex_token or DEFAULT_WEBEX_TOKEN,
        token_expires_in=args.token_expires_in,
        download_expire_time=args.download_expire_time,
        webex_create_status=args.webex_create_status,
        storage_dir=args.storage_dir,
        validate_responses=args.validate_responses,
    )
    serve(args.host, args.port, args.fault, config=config, access_log=args.access_log)


if __name__ == "__main__":
    main()
