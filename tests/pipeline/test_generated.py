"""generated/ is exactly what `make regenerate` writes, and the package reaches every generated client."""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import itertools
import re
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from scripts import regenerate
from tests import specs

ROOT = Path(__file__).resolve().parent.parent.parent


def test_committed_generated_matches_a_fresh_regeneration() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_drift_check_names_the_differing_files(tmp_path: Path) -> None:
    left, right = tmp_path / "a", tmp_path / "b"
    for root in (left, right):
        (root / "pkg" / "models").mkdir(parents=True)
        (root / "pkg" / "same.py").write_text("x = 1\n")
        (root / "pkg" / "models" / "m.py").write_text("y = 1\n")
    (right / "pkg" / "models" / "m.py").write_text("y = 2\n")
    (right / "pkg" / "extra.py").write_text("")
    assert regenerate.differences(left, right) == ["pkg/extra.py", "pkg/models/m.py"]


def test_generated_clients_have_no_runtime_timeout_default() -> None:
    """The generated Client defaults to no timeout at all; attachkit must always pass one."""
    from attachkit._generated.webex_attachment_actions import Client

    assert Client(base_url="http://127.0.0.1")._timeout is None


def test_import_attachkit_reaches_every_generated_client() -> None:
    code = (
        "import attachkit;"
        "from attachkit._generated.talkdesk_attachments.api.attachments import create_attachment;"
        "from attachkit._generated.talkdesk_digital_connect.api.conversations import send_message;"
        "from attachkit._generated.webex_attachment_actions.api.attachment_actions import create_attachment_action;"
        "from attachkit._generated.webex_messages.api.messages import create_message, delete_message, get_message;"
        "from attachkit._generated.webex_messages.api.contents import get_content;"
        "from attachkit._generated.webex_webhooks.api.webhooks import create_webhook, list_webhooks, update_webhook;"
        "print(attachkit.__version__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


# -- one Unset, exported once ------------------------------------------------------------------------------

GENERATED_PACKAGES = (
    "mock_control",
    "talkdesk_attachments",
    "talkdesk_digital_connect",
    "webex_attachment_actions",
    "webex_messages",
    "webex_webhooks",
)


def test_the_generated_packages_are_one_per_spec() -> None:
    # The vendor specs, and the mock's own control plane (openapi/mock-control.yaml), which is no vendor's.
    names = sorted([*specs.ALL, specs.CONTROL])
    assert tuple(name.replace("-", "_") for name in names) == GENERATED_PACKAGES
    assert sorted(p.stem for p in (ROOT / "openapi").glob("*.yaml") if p.stem != "generator-config") == names
    assert sorted(p.name for p in (ROOT / "generated").iterdir() if (p / "openapi.json").is_file()) == sorted(
        GENERATED_PACKAGES
    )


def test_the_packages_share_one_unset_exported_from_attachkit_types() -> None:
    import attachkit.types

    for package in GENERATED_PACKAGES:
        types = importlib.import_module(f"attachkit._generated.{package}.types")
        assert types.Unset is attachkit.types.Unset, package
        assert types.UNSET is attachkit.types.UNSET, package
    assert not attachkit.types.UNSET and repr(attachkit.types.UNSET) == "UNSET"
    assert attachkit.types.__all__ == ["UNSET", "Unset"]


def test_no_generated_package_defines_its_own_unset() -> None:
    for package in GENERATED_PACKAGES:
        tree = ast.parse((ROOT / "generated" / package / "types.py").read_text())
        assert "Unset" not in {node.name for node in tree.body if isinstance(node, ast.ClassDef)}, package


# -- models documented from the specs ----------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.split())


def _object_schemas() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, schema_name, schema)
        for name in specs.ALL
        for schema_name, schema in specs.load(name)["components"]["schemas"].items()
        if schema.get("type") == "object"
    ]


def _models(name: str) -> ModuleType:
    return importlib.import_module(f"attachkit._generated.{name.replace('-', '_')}.models")


@pytest.mark.parametrize(("name", "schema_name", "schema"), _object_schemas(), ids=lambda v: str(v)[:30])
def test_each_model_carries_its_schema_description(name: str, schema_name: str, schema: dict[str, Any]) -> None:
    model = getattr(_models(name), schema_name)
    if schema.get("properties"):
        doc = model.__doc__
    else:  # a free-form mapping: an alias of dict[str, Any], documented by its module
        assert typing.get_origin(model) is dict and typing.get_args(model) == (str, Any), model
        doc = sys.modules[f"{_models(name).__name__}.{_module_name(schema_name)}"].__doc__
    assert doc is not None
    assert _words(schema["description"]) in _words(doc)


@pytest.mark.parametrize(("name", "schema_name", "schema"), _object_schemas(), ids=lambda v: str(v)[:30])
def test_each_field_carries_its_description(name: str, schema_name: str, schema: dict[str, Any]) -> None:
    """docstrings_on_attributes: every attribute of a model is followed by its field's description."""
    if not schema.get("properties"):
        return
    source = ROOT / "generated" / name.replace("-", "_") / "models" / f"{_module_name(schema_name)}.py"
    (cls,) = [n for n in ast.parse(source.read_text()).body if isinstance(n, ast.ClassDef) and n.name == schema_name]
    docs: dict[str, str] = {}
    for field, after in itertools.pairwise(cls.body):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
        ):
            docs[field.target.id] = str(after.value.value)
    for prop, sub in schema["properties"].items():
        description = sub.get("description") or specs.resolve(name, sub.get("allOf", [sub])[0]).get("description")
        python = [p for p, d in docs.items() if f"JSON name: `{prop}`" in _words(d)] or [prop]
        assert _words(description) in _words(docs.get(python[0], "")), (schema_name, prop)


def _module_name(schema_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", schema_name).lower()


def test_free_form_objects_are_plain_dicts() -> None:
    from attachkit._generated.talkdesk_attachments.models import Attachment
    from attachkit._generated.webex_attachment_actions.models import AttachmentActivity, SubmitCardAction
    from attachkit._generated.webex_messages.models import CardAttachment
    from attachkit._generated.webex_webhooks.models import WebhookEvent

    body = {"id": "a", "type": "submit", "messageId": "m", "inputs": {"Name": "Ada", "Count": 3, "On": True}}
    action = AttachmentActivity.from_dict(body)
    assert type(action.inputs) is dict and action.inputs["Name"] == "Ada"
    assert action.to_dict() == body
    assert action.to_dict()["inputs"] is not action.inputs  # written back as a copy
    request = SubmitCardAction(type_="submit", message_id="m", inputs={"Name": "Ada"})
    assert request.to_dict() == {"type": "submit", "messageId": "m", "inputs": {"Name": "Ada"}}
    attachment = Attachment.from_dict({"id": "a", "name": "n", "state": "s", "metadata": {"flow_id": "F"}})
    assert type(attachment.metadata) is dict and attachment.metadata["flow_id"] == "F"
    card = {"type": "AdaptiveCard", "version": "1.3", "body": [{"type": "Input.Text", "id": "Name"}]}
    wire = {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
    attached = CardAttachment.from_dict(wire)
    assert type(attached.content) is dict and attached.content == card and attached.to_dict() == wire
    # An event's data is open: fields beyond the documented ones are kept, not dropped.
    event = {"id": "w", "resource": "messages", "event": "created", "data": {"id": "m", "files": ["u"]}}
    assert WebhookEvent.from_dict(event).to_dict() == event


def test_the_fields_a_workflow_needs_are_typed_as_present() -> None:
    """The ids a workflow goes on with are plain `str` (no Unset) where the sources allow it; see the specs."""
    from attachkit._generated.talkdesk_attachments.models import Attachment, DownloadLink, UploadLink
    from attachkit._generated.webex_attachment_actions.models import AttachmentActivity
    from attachkit._generated.webex_messages.models import CardAttachment, Message
    from attachkit._generated.webex_webhooks.models import Webhook, WebhookCollection, WebhookEvent, WebhookEventData

    def hints_of(cls: type) -> dict[str, Any]:
        # Model-typed fields are imported under TYPE_CHECKING only; the package's models module names them all.
        return typing.get_type_hints(cls, localns=vars(sys.modules[cls.__module__.rsplit(".", 1)[0]]))

    classes = (Attachment, UploadLink, DownloadLink, AttachmentActivity, Message, CardAttachment, Webhook)
    hints = {cls: hints_of(cls) for cls in (*classes, WebhookCollection, WebhookEvent, WebhookEventData)}
    assert hints[Attachment]["id"] is str
    assert hints[UploadLink]["url"] is str and hints[UploadLink]["request_id"] is str
    assert hints[DownloadLink]["url"] is str
    assert hints[AttachmentActivity]["id"] is str and hints[AttachmentActivity]["message_id"] is str
    assert hints[AttachmentActivity]["inputs"] == dict[str, Any]
    assert hints[Message]["id"] is str and hints[Webhook]["id"] is str
    assert hints[CardAttachment]["content"] == dict[str, Any]
    assert hints[WebhookCollection]["items"] == list[Webhook]
    assert hints[WebhookEvent]["id"] is str and hints[WebhookEvent]["data"] is WebhookEventData
    assert hints[WebhookEvent]["resource"] is str and hints[WebhookEvent]["event"] is str
    assert hints[WebhookEventData]["id"] is str


def test_the_templates_are_for_the_pinned_generator() -> None:
    """openapi/templates/ holds changed copies of openapi-python-client 0.29.1's templates (see its README)."""
    from importlib.metadata import version

    assert version("openapi-python-client") == "0.29.1"
    readme = (ROOT / "openapi" / "templates" / "README.md").read_text()
    assert "openapi-python-client **0.29.1**" in readme


# -- the two request bodies of create_message (see openapi/templates/README.md) -----------------------------


def test_create_message_takes_a_json_or_a_multipart_body_and_requires_one() -> None:
    from attachkit._generated.webex_messages.api.messages import create_message
    from attachkit._generated.webex_messages.models import MessageCreate, MessageCreateMultipart
    from attachkit._generated.webex_messages.types import File

    for function in (create_message.asyncio_detailed, create_message.sync_detailed):
        body = inspect.signature(function).parameters["body"]
        assert body.default is inspect.Parameter.empty
        assert body.annotation in ("MessageCreate | MessageCreateMultipart", MessageCreate | MessageCreateMultipart)

    kwargs = create_message._get_kwargs(body=MessageCreate(room_id="r", text="hi"))
    assert kwargs["json"] == {"roomId": "r", "text": "hi"}

    upload = File(payload=io.BytesIO(b"--+++ not a boundary"), file_name="a.txt", mime_type="text/plain")
    kwargs = create_message._get_kwargs(body=MessageCreateMultipart(room_id="r", files=upload))
    assert "Content-Type" not in kwargs["headers"]  # httpx writes it, with a random boundary
    request = httpx.Request(kwargs.pop("method"), "https://webexapis.com/v1" + kwargs.pop("url"), **kwargs)
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=") and not content_type.endswith("=+++")
    sent = request.read()
    assert b'name="files"; filename="a.txt"' in sent and b"--+++ not a boundary" in sent
