"""The sync face is generated from the async one, and the two agree; the wheel ships no top-level generated code."""

from __future__ import annotations

import inspect
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from attachkit.talkdesk import (
    AsyncAttachments,
    AsyncConversations,
    AsyncTalkdeskClient,
    Attachments,
    Conversations,
    TalkdeskClient,
)
from attachkit.webex import AsyncAttachmentActions, AsyncWebexClient, AttachmentActions, WebexClient

ROOT = Path(__file__).resolve().parent.parent.parent
NO_IO = {"with_options"}
PAIRS = [
    (TalkdeskClient, AsyncTalkdeskClient),
    (Attachments, AsyncAttachments),
    (Conversations, AsyncConversations),
    (WebexClient, AsyncWebexClient),
    (AttachmentActions, AsyncAttachmentActions),
]


def test_the_committed_sync_face_is_what_unasync_writes() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "unasync.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_unasync_refuses_async_code_it_cannot_translate(tmp_path: Path) -> None:
    from scripts import unasync

    assert unasync.transform("async def f(self) -> None:\n    await self.aclose()\n") == (
        "def f(self) -> None:\n    self.close()\n"
    )
    assert unasync.transform("x: httpx.AsyncClient = AsyncSession()") == "x: httpx.Client = Session()"
    assert unasync.FORBIDDEN.search("asyncio.gather(a, b)")


@pytest.mark.parametrize(("sync_cls", "async_cls"), PAIRS, ids=lambda c: c.__name__)
def test_each_public_method_has_its_twin_with_the_same_signature(sync_cls: type, async_cls: type) -> None:
    public = {n for n in dir(sync_cls) if not n.startswith("_")}
    assert public == {n for n in dir(async_cls) if not n.startswith("_")}
    for name in public:
        ours, theirs = getattr(sync_cls, name), getattr(async_cls, name)
        assert ours.__doc__, f"{sync_cls.__name__}.{name} has no docstring"
        if callable(ours):
            # with_options does no I/O, so it is a plain method on both faces.
            assert inspect.iscoroutinefunction(theirs) == (name not in NO_IO), name
            assert not inspect.iscoroutinefunction(ours), name
            assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters), name


@pytest.mark.parametrize(
    ("client", "resources"),
    [
        (TalkdeskClient, ["attachments", "conversations"]),
        (AsyncTalkdeskClient, ["attachments", "conversations"]),
        (WebexClient, ["attachment_actions"]),
        (AsyncWebexClient, ["attachment_actions"]),
    ],
    ids=lambda v: getattr(v, "__name__", "-"),
)
def test_help_lists_each_resource_with_its_type(client: type, resources: list[str]) -> None:
    import pydoc

    text = pydoc.render_doc(client, renderer=pydoc.plaintext)
    for name in resources:
        resource_type = inspect.signature(getattr(client, name).fget).return_annotation
        assert f"{name}\n" in text
        assert str(resource_type).split(".")[-1].strip("'>") in text


def test_the_wheel_carries_the_generated_code_under_attachkit_only(tmp_path: Path) -> None:
    """Built with the pinned hatchling, the wheel has no top-level generated packages and holds the sync face."""
    from hatchling.builders.wheel import WheelBuilder

    builder = WheelBuilder(str(ROOT))
    wheel = Path(next(iter(builder.build(directory=str(tmp_path), versions=["standard"]))))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"attachkit"}
    for required in (
        "attachkit/_generated/__init__.py",
        "attachkit/_generated/_sync/talkdesk.py",
        "attachkit/_generated/talkdesk_attachments/openapi.json",
        "attachkit/_openapi/webex-attachment-actions.yaml",
        "attachkit/_openapi/webex-messages.yaml",
        "attachkit/_openapi/webex-webhooks.yaml",
        "attachkit/_openapi/mock-control.yaml",
        "attachkit/_generated/mock_control/openapi.json",
        "attachkit/_generated/mock_control/api/control/add_fault.py",
        "attachkit/_generated/webex_messages/openapi.json",
        "attachkit/_generated/webex_messages/api/contents/get_content.py",
        "attachkit/_generated/webex_webhooks/openapi.json",
        "attachkit/_generated/webex_webhooks/models/webhook_event.py",
        "attachkit/_async/talkdesk.py",
        "attachkit/py.typed",
    ):
        assert required in names, required
    # Nothing twice: the checkout's link to generated/ is not followed into a second copy.
    assert len(names) == len(set(names))
