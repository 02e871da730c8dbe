"""`attachkit.webex.verify_webhook`: a Webex delivery's `X-Spark-Signature` checked over the raw body, then the event.

The signatures the tests trust were computed outside Python, by OpenSSL (`tests/data/webhooks/sign.sh` holds the
exact commands, `signatures.tsv` their output), over body files stored byte for byte: compact and re-indented JSON,
a trailing newline, non-ASCII UTF-8, a non-ASCII secret and one longer than SHA-1's block. Beyond the vectors:
tampering, wrong secrets, missing, empty, malformed and doubled headers, header names in any case through every
kind of headers mapping a receiver meets, secrets and signatures kept out of every message, Hypothesis properties
(a signed body passes, any one-byte change fails), and the README's Starlette receiver served on a loopback socket.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import re
import socket
import threading
import traceback
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import httpx
import multidict
import pytest
import starlette.datastructures
import uvicorn
from hypothesis import given, settings
from hypothesis import strategies as st

from attachkit import webex
from attachkit.errors import AttachkitError, ValidationError, WebhookPayloadError, WebhookSignatureError
from attachkit.webex import WebhookEvent, verify_webhook
from attachkit.webex._signature import sign_webhook
from tests._support.waiting import eventually

DATA = Path(__file__).resolve().parent.parent / "data" / "webhooks"
README = Path(__file__).resolve().parent.parent.parent / "README.md"
SECRET = "s3cr3t-webhook-key"


@attrs.frozen
class Vector:
    """One line of `signatures.tsv`: a stored body, a secret, and the signature OpenSSL computed for them."""

    file: str
    secret: str
    signature: str

    @property
    def body(self) -> bytes:
        return (DATA / self.file).read_bytes()


def vectors() -> list[Vector]:
    lines = (DATA / "signatures.tsv").read_text(encoding="utf-8").splitlines()
    return [Vector(*line.split("\t")) for line in lines if line and not line.startswith("#")]


VECTORS = vectors()


def vector(file: str, secret: str = SECRET) -> Vector:
    return next(v for v in VECTORS if v.file == file and v.secret == secret)


COMPACT = vector("attachment_action_created.json")


def signed(body: bytes, secret: str, name: str = "X-Spark-Signature") -> dict[str, str]:
    """Headers for `body` signed by the standard library, independently of attachkit."""
    return {"Content-Type": "application/json", name: hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()}


def rejected(body: bytes, headers: Mapping[str, str], secret: str = SECRET) -> WebhookSignatureError:
    with pytest.raises(WebhookSignatureError) as caught:
        verify_webhook(body, headers, secret)
    return caught.value


def signature_accepted(body: bytes, headers: Mapping[str, str], secret: str) -> bool:
    """Whether the signature passes: the body may still fail as an event (random bytes are no event)."""
    try:
        verify_webhook(body, headers, secret)
    except WebhookSignatureError:
        return False
    except WebhookPayloadError:
        pass
    return True


def assert_nothing_secret_in(exc: BaseException, *secrets: str) -> None:
    """Neither the message, the repr, nor the formatted traceback shows a secret or a signature."""
    shown = "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])
    for secret in secrets:
        assert secret not in shown
        assert secret.lower() not in shown.lower()


# -- the stored vectors ---------------------------------------------------------------------------------------------


def test_the_vectors_cover_every_stored_body_and_the_cases_they_are_for() -> None:
    stored = {p.name for p in DATA.glob("*.json")}
    assert {v.file for v in VECTORS} == stored
    assert all(len(v.signature) == 40 and v.signature == v.signature.lower() for v in VECTORS)
    assert any(not v.secret.isascii() for v in VECTORS)
    assert any(len(v.secret.encode()) > 64 for v in VECTORS)
    assert any(not v.body.isascii() for v in VECTORS)
    assert any(v.body.endswith(b"\n") for v in VECTORS)
    events = {(json.loads(v.body)["resource"], json.loads(v.body)["event"]) for v in VECTORS}
    assert events == {("attachmentActions", "created"), ("messages", "created")}
    # The re-indented and newline-ended twins are the same event in other bytes.
    compact = json.loads(COMPACT.body)
    for twin in ("attachment_action_created_pretty.json", "attachment_action_created_newline.json"):
        assert json.loads(vector(twin).body) == compact
        assert vector(twin).body != COMPACT.body
        assert vector(twin).signature != COMPACT.signature


@pytest.mark.parametrize("v", VECTORS, ids=lambda v: f"{v.file}-{v.secret[:8]}")
def test_each_openssl_signature_is_accepted_and_the_event_read(v: Vector) -> None:
    assert sign_webhook(v.body, v.secret) == v.signature
    event = verify_webhook(v.body, {"X-Spark-Signature": v.signature}, v.secret)
    assert isinstance(event, WebhookEvent)
    sent = json.loads(v.body)
    assert (event.resource, event.event, event.data.id) == (sent["resource"], sent["event"], sent["data"]["id"])
    assert event.to_dict() == sent  # nothing lost or changed, unknown fields included


def test_an_attachment_action_event_carries_what_the_bot_needs_to_read_the_inputs() -> None:
    event = verify_webhook(COMPACT.body, {"X-Spark-Signature": COMPACT.signature}, SECRET)
    sent = json.loads(COMPACT.body)
    assert event.resource == "attachmentActions"
    assert event.data.id == sent["data"]["id"]  # GET /attachment/actions/{id} reads the inputs
    assert event.data.message_id == sent["data"]["messageId"]
    assert event.actor_id == sent["actorId"]
    assert "inputs" not in sent["data"]


def test_non_ascii_text_arrives_as_sent() -> None:
    v = vector("message_created_utf8.json", "clé secrète 🔑")
    event = verify_webhook(v.body, {"X-Spark-Signature": v.signature}, v.secret)
    assert event.name == "Nouveaux messages « Équipe Zoë » — 日本語チーム 🚀"


# -- what is accepted -----------------------------------------------------------------------------------------------


def header_mappings(name: str, value: str) -> list[Mapping[str, str]]:
    """The kinds of headers a receiver has in hand, each holding one header `name: value` among others."""
    pairs = [("Content-Type", "application/json"), (name, value), ("User-Agent", "Webex")]
    return [
        dict(pairs),
        types.MappingProxyType(dict(pairs)),
        httpx.Headers(pairs),
        starlette.datastructures.Headers(raw=[(k.lower().encode(), v.encode()) for k, v in pairs]),
        multidict.CIMultiDictProxy(multidict.CIMultiDict(pairs)),
    ]


@pytest.mark.parametrize("name", ["X-Spark-Signature", "x-spark-signature", "X-SPARK-SIGNATURE", "x-SpArK-sIgNaTuRe"])
def test_the_header_is_found_in_any_case_in_any_mapping(name: str) -> None:
    for headers in header_mappings(name, COMPACT.signature):
        assert verify_webhook(COMPACT.body, headers, SECRET).data.id, type(headers)


def test_hex_digits_are_read_in_either_case_and_surrounding_blanks_ignored() -> None:
    for value in (COMPACT.signature.upper(), f" {COMPACT.signature}\t", COMPACT.signature.title()):
        verify_webhook(COMPACT.body, {"X-Spark-Signature": value}, SECRET)


def test_a_bytearray_or_memoryview_body_is_read_as_its_bytes() -> None:
    headers = {"X-Spark-Signature": COMPACT.signature}
    verify_webhook(bytearray(COMPACT.body), headers, SECRET)  # type: ignore[arg-type]
    verify_webhook(memoryview(COMPACT.body), headers, SECRET)  # type: ignore[arg-type]


def test_the_same_header_given_twice_with_the_same_value_is_accepted() -> None:
    pairs = [("X-Spark-Signature", COMPACT.signature), ("x-spark-signature", COMPACT.signature)]
    verify_webhook(COMPACT.body, multidict.CIMultiDictProxy(multidict.CIMultiDict(pairs)), SECRET)


def test_the_digests_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, object]] = []
    compare = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    verify_webhook(COMPACT.body, {"X-Spark-Signature": COMPACT.signature}, SECRET)
    rejected(COMPACT.body, {"X-Spark-Signature": "0" * 40})
    assert len(calls) == 2


# -- what is rejected -----------------------------------------------------------------------------------------------


def one_byte_changed(body: bytes) -> bytes:
    """`body` with one letter of the action's id changed: still JSON, still an event, another id."""
    at = body.index(b"Y2lzY29zcGFyazovL3VzL0FUVEFDSE1FTlRf") + 3
    return body[:at] + bytes([body[at] ^ 0x01]) + body[at + 1 :]


@pytest.mark.parametrize(
    ("why", "body"),
    [
        ("one byte changed", one_byte_changed(COMPACT.body)),
        ("re-indented", vector("attachment_action_created_pretty.json").body),
        ("re-serialised by json.dumps", json.dumps(json.loads(COMPACT.body)).encode()),
        ("keys sorted", json.dumps(json.loads(COMPACT.body), separators=(",", ":"), sort_keys=True).encode()),
        ("a trailing newline added", vector("attachment_action_created_newline.json").body),
        ("a byte cut off", COMPACT.body[:-1]),
        ("empty", b""),
    ],
)
def test_a_body_other_than_the_one_signed_is_rejected(why: str, body: bytes) -> None:
    error = rejected(body, {"X-Spark-Signature": COMPACT.signature})
    assert "does not match" in str(error)
    assert_nothing_secret_in(error, SECRET, COMPACT.signature, sign_webhook(body, SECRET))


def test_a_trailing_newline_removed_is_rejected() -> None:
    v = vector("message_created.json")
    assert v.body.endswith(b"\n")
    rejected(v.body.rstrip(b"\n"), {"X-Spark-Signature": v.signature})


@pytest.mark.parametrize(
    "secret",
    [
        "S3CR3T-WEBHOOK-KEY",
        "s3cr3t-webhook-key ",
        " s3cr3t-webhook-key",
        "s3cr3t-webhook-ke",
        "wrong-key",
        "clé secrète 🔑",
    ],
)
def test_another_secret_is_rejected(secret: str) -> None:
    error = rejected(COMPACT.body, {"X-Spark-Signature": COMPACT.signature}, secret)
    assert "does not match" in str(error)
    assert_nothing_secret_in(error, secret, SECRET, COMPACT.signature, sign_webhook(COMPACT.body, secret))


def test_a_secret_encoded_other_than_utf8_is_another_secret() -> None:
    v = vector("message_created_utf8.json", "clé secrète 🔑")
    latin = hmac.new("clé".encode("latin-1"), v.body, hashlib.sha1).hexdigest()
    assert latin != hmac.new("clé".encode(), v.body, hashlib.sha1).hexdigest()
    rejected(v.body, {"X-Spark-Signature": latin}, "clé")


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({}, "has no X-Spark-Signature header"),
        ({"Content-Type": "application/json"}, "has no X-Spark-Signature header"),
        ({"X-Spark-Signatures": COMPACT.signature}, "has no X-Spark-Signature header"),
        ({"Spark-Signature": COMPACT.signature}, "has no X-Spark-Signature header"),
        ({"X-Spark-Signature": ""}, "is empty"),
        ({"X-Spark-Signature": " \t "}, "is empty"),
        ({"X-Spark-Signature": f"sha1={COMPACT.signature}"}, "not a hex HMAC-SHA1"),
        ({"X-Spark-Signature": COMPACT.signature[:-1]}, "not a hex HMAC-SHA1"),
        ({"X-Spark-Signature": COMPACT.signature + "0"}, "not a hex HMAC-SHA1"),
        ({"X-Spark-Signature": hmac.new(SECRET.encode(), COMPACT.body, "sha256").hexdigest()}, "not a hex HMAC"),
        ({"X-Spark-Signature": COMPACT.signature[:-1] + "g"}, "not a hex HMAC-SHA1"),
        ({"X-Spark-Signature": COMPACT.signature[:-1] + "\u0663"}, "not a hex HMAC-SHA1"),  # an Arabic-Indic digit
        ({"X-Spark-Signature": COMPACT.signature[:-1] + "\uff13"}, "not a hex HMAC-SHA1"),  # a fullwidth digit
        ({"X-Spark-Signature": f"{COMPACT.signature}, {COMPACT.signature}"}, "not a hex HMAC-SHA1"),
        ({"X-Spark-Signature": COMPACT.signature, "x-spark-signature": "0" * 40}, "more than one"),
        (multidict.CIMultiDict([("X-Spark-Signature", "0" * 40), ("X-Spark-Signature", COMPACT.signature)]), "more"),
    ],
)
def test_a_missing_empty_malformed_or_doubled_header_is_rejected(headers: Mapping[str, str], said: str) -> None:
    error = rejected(COMPACT.body, headers)
    assert said in str(error)
    assert_nothing_secret_in(error, SECRET, COMPACT.signature)


def test_a_signature_error_is_an_attachkit_error_and_nothing_else() -> None:
    error = rejected(COMPACT.body, {})
    assert isinstance(error, AttachkitError)
    assert not isinstance(error, ValidationError | WebhookPayloadError | ValueError)
    assert error.__cause__ is None and error.__context__ is None


# -- mistakes in the calling code -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "secret", "field", "said"),
    [
        (COMPACT.body, "", "secret", "must not be empty"),
        (COMPACT.body, SECRET.encode(), "secret", "must be a str"),
        (COMPACT.body, None, "secret", "must be a str"),
        (COMPACT.body.decode(), SECRET, "body", "not a str"),
        (None, SECRET, "body", "not NoneType"),
        (json.loads(COMPACT.body), SECRET, "body", "not dict"),
    ],
)
def test_a_body_or_secret_of_the_wrong_kind_is_a_validation_error(
    body: Any, secret: Any, field: str, said: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        verify_webhook(body, {"X-Spark-Signature": COMPACT.signature}, secret)
    assert caught.value.field == field
    assert said in caught.value.reason
    assert_nothing_secret_in(caught.value, SECRET, COMPACT.signature)


def test_headers_that_are_not_a_mapping_of_str_are_a_validation_error() -> None:
    for headers in ([("X-Spark-Signature", COMPACT.signature)], {"X-Spark-Signature": COMPACT.signature.encode()}):
        with pytest.raises(ValidationError) as caught:
            verify_webhook(COMPACT.body, headers, SECRET)  # type: ignore[arg-type]
        assert caught.value.field == "headers"
        assert_nothing_secret_in(caught.value, SECRET, COMPACT.signature)


def test_an_empty_secret_is_refused_even_with_a_matching_signature() -> None:
    # Anyone can compute an HMAC with an empty key: accepting it would let any sender through.
    forged = hmac.new(b"", COMPACT.body, hashlib.sha1).hexdigest()
    with pytest.raises(ValidationError):
        verify_webhook(COMPACT.body, {"X-Spark-Signature": forged}, "")


# -- a signed body that is not an event -----------------------------------------------------------------------------


def event(**changes: Any) -> dict[str, Any]:
    """The stored attachment-action event, with top-level `changes` (None removes a field)."""
    body = {**json.loads(COMPACT.body), **changes}
    return {k: v for k, v in body.items() if v is not None}


@pytest.mark.parametrize(
    ("body", "field", "said"),
    [
        (b"\xff\xfe{}", "body", "not UTF-8"),
        (b'{"id": "\xed\xa0\x80"}', "body", "not UTF-8"),  # an encoded surrogate
        (b"", "body", "not JSON"),
        (b"{'id': 'x'}", "body", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "body", "nested too deeply"),
        (b"[]", "body", "is a list"),
        (b'"created"', "body", "is a string"),
        (b"null", "body", "is null"),
        (json.dumps(event(data=None)).encode(), "data", "required"),
        (json.dumps(event(data={"type": "submit"})).encode(), "data.id", "required"),
        (json.dumps(event(data={"id": 42})).encode(), "data.id", "is an int"),
        (json.dumps(event(data="Y2lz")).encode(), "data", "is a string"),
        (json.dumps(event(resource=["messages"])).encode(), "resource", "is a list"),
    ],
)
def test_a_signed_body_that_is_not_the_specs_event_is_a_payload_error(body: bytes, field: str, said: str) -> None:
    with pytest.raises(WebhookPayloadError) as caught:
        verify_webhook(body, signed(body, SECRET), SECRET)
    error = caught.value
    assert (error.field, said in error.reason) == (field, True), str(error)
    assert not isinstance(error, WebhookSignatureError)
    assert "\n" not in str(error)
    assert_nothing_secret_in(error, SECRET, sign_webhook(body, SECRET))


def test_an_unsigned_body_is_never_parsed() -> None:
    # Not JSON, but unsigned: the signature is the first and only complaint.
    rejected(b"not json", {})
    rejected(b"not json", {"X-Spark-Signature": "0" * 40})


def test_a_value_the_spec_only_bends_is_a_warning_not_a_refusal(caplog: pytest.LogCaptureFixture) -> None:
    body = json.dumps(event(resource="telephonyCalls", event="started", status="suspended")).encode()
    with caplog.at_level(logging.WARNING, logger="attachkit"):
        got = verify_webhook(body, signed(body, SECRET), SECRET)
    assert (got.resource, got.event) == ("telephonyCalls", "started")
    warned = " ".join(r.getMessage() for r in caplog.records if r.name == "attachkit")
    assert "contract warning" in warned
    assert SECRET not in warned


# -- properties -----------------------------------------------------------------------------------------------------

secrets = st.text(min_size=1, max_size=80)


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=2048), secret=secrets, at=st.integers(min_value=0), mask=st.integers(1, 255))
def test_a_signed_body_passes_and_any_one_byte_flip_fails(body: bytes, secret: str, at: int, mask: int) -> None:
    headers = signed(body, secret)
    assert signature_accepted(body, headers, secret)
    if body:
        at %= len(body)
        flipped = body[:at] + bytes([body[at] ^ mask]) + body[at + 1 :]
        assert not signature_accepted(flipped, headers, secret)
    assert not signature_accepted(body + b"\n", headers, secret)
    assert not signature_accepted(body, headers, secret + "x")


@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=256), secret=secrets, other=secrets)
def test_only_the_signing_secret_passes(body: bytes, secret: str, other: str) -> None:
    headers = signed(body, secret)
    assert signature_accepted(body, headers, other) == (secret == other)


text = st.text(max_size=40)
ids = st.text(min_size=1, max_size=60)


@st.composite
def events(draw: st.DrawFn) -> tuple[dict[str, Any], bytes]:
    """An event and the bytes it travels as: any layout, escaped or raw UTF-8, with fields the spec does not name."""
    sent: dict[str, Any] = {
        "id": draw(ids),
        "name": draw(text),
        "resource": draw(st.sampled_from(["attachmentActions", "messages"])),
        "event": "created",
        "data": {"id": draw(ids), **draw(st.dictionaries(st.sampled_from(["x-extra", "more"]), text, max_size=2))},
    }
    sent.update(draw(st.dictionaries(st.sampled_from(["futureField", "zz"]), text, max_size=2)))
    layouts: list[dict[str, Any]] = [{}, {"indent": 2}, {"separators": (",", ":")}, {"indent": "\t"}]
    layout = draw(st.sampled_from(layouts))
    encoded = json.dumps(sent, ensure_ascii=draw(st.booleans()), **layout).encode()
    return sent, encoded + draw(st.sampled_from([b"", b"\n", b"\r\n", b"  "]))


@settings(max_examples=200, deadline=None)
@given(sent=events(), secret=secrets, name=st.sampled_from(["X-Spark-Signature", "x-spark-signature"]))
def test_any_signed_event_is_read_back_as_sent(sent: tuple[dict[str, Any], bytes], secret: str, name: str) -> None:
    fields, body = sent
    got = verify_webhook(body, signed(body, secret, name), secret)
    assert got.to_dict() == fields
    assert got.data.id == fields["data"]["id"]


# -- the README's receiver, over a real socket ----------------------------------------------------------------------


@contextlib.contextmanager
def serving(app: Callable[..., Any]) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        eventually(lambda: server.started or not thread.is_alive(), 30, "the receiver did not start")
        assert server.started
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def readme_receiver() -> Any:
    """The README's receiver, run from the README itself: the ```python block that verifies deliveries."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    [code] = [b for b in blocks if "verify_webhook(await request.body()" in b]
    namespace: dict[str, Any] = {}
    exec(compile(code, str(README), "exec"), namespace)
    return namespace["app"]


def test_the_readme_receiver_answers_200_to_webex_and_401_to_anyone_else(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WEBEX_WEBHOOK_SECRET", SECRET)
    pretty = vector("attachment_action_created_pretty.json")
    with serving(readme_receiver()) as url, httpx.Client(base_url=url, timeout=30) as http:

        def post(body: bytes, headers: Mapping[str, str]) -> int:
            return http.post("/webex/events", content=body, headers=headers).status_code

        # Signed by OpenSSL, as Webex signs; the indented body passes only if the receiver reads the raw bytes.
        assert post(COMPACT.body, {"X-Spark-Signature": COMPACT.signature}) == 200
        assert post(pretty.body, {"x-spark-signature": pretty.signature.upper()}) == 200
        assert post(COMPACT.body, {}) == 401
        assert post(COMPACT.body, {"X-Spark-Signature": ""}) == 401
        assert post(one_byte_changed(COMPACT.body), {"X-Spark-Signature": COMPACT.signature}) == 401
        assert post(COMPACT.body, signed(COMPACT.body, "not-the-secret")) == 401
    event = json.loads(COMPACT.body)
    # The receiver acts (here: prints) on the two signed deliveries only.
    expected = f"{event['resource']} {event['event']} {event['data']['id']}"
    assert capsys.readouterr().out.splitlines() == [expected, expected]


def test_the_public_names() -> None:
    assert webex.verify_webhook is verify_webhook
    assert "verify_webhook" in webex.__all__
    assert "WebhookEvent" in webex.__all__
