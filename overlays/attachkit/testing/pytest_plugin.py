"""The ``attachkit_mock`` pytest fixture, registered through the ``pytest11`` entry point.

::

    def test_upload(attachkit_mock):
        client = TalkdeskClient(**attachkit_mock.talkdesk_kwargs())
        ...

    @pytest.mark.attachkit_mock(webex_create_status=202, token_expires_in=60)
    def test_configured(attachkit_mock): ...

The fixture is a :class:`~attachkit.testing.MockServer`, with assertions on what was called::

    def test_sends_once(attachkit_mock):
        ...
        attachkit_mock.assert_called("send_message", times=1)
        attachkit_mock.assert_not_called("create_attachment")
        [sent] = attachkit_mock.calls("send_message")      # history entries, secrets redacted
        assert sent.status == 201 and sent.request.body is not None

``attachkit_mock_app`` is the in-process variant (no socket, no thread): a :class:`~attachkit.testing.MockApp`
whose ``asgi_client()`` is an ``httpx.AsyncClient`` for the async clients (``http_client=``). httpx has no
synchronous ASGI transport, so the sync clients need ``attachkit_mock``.

Override the ``attachkit_mock_options`` fixture to configure every test of a module or package. Responses are
validated against the specs, and a test whose mock sent a non-conforming response fails at teardown.
Loading the plugin imports nothing heavy; the mock and its dependencies load when a test uses the fixture.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._app import MockApp
    from ._config import MockConfig
    from ._server import MockServer


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``attachkit_mock`` marker."""
    config.addinivalue_line(
        "markers", "attachkit_mock(**options): MockConfig fields for the attachkit_mock fixture of this test"
    )


@pytest.fixture
def attachkit_mock_options() -> dict[str, Any]:
    """MockConfig fields for :func:`attachkit_mock`; override this fixture to configure it."""
    return {}


@pytest.fixture
def attachkit_mock(request: pytest.FixtureRequest, attachkit_mock_options: dict[str, Any]) -> Iterator[MockServer]:
    """A running :class:`~attachkit.testing.MockServer`, with response validation on, stopped after the test."""
    # Imported here, not at the top: pytest loads this plugin in every run, with or without the mock extra.
    from . import MockServer

    with MockServer(_config(request, attachkit_mock_options)) as mock:
        yield mock
    if mock.response_violations:
        pytest.fail(f"the attachkit mock sent responses that break its spec: {mock.response_violations}")


@pytest.fixture
def attachkit_mock_app(request: pytest.FixtureRequest, attachkit_mock_options: dict[str, Any]) -> Iterator[MockApp]:
    """The mock as an in-process ASGI app (:class:`~attachkit.testing.MockApp`), configured like
    :func:`attachkit_mock`, closed after the test; responses that break the spec fail it at teardown."""
    from . import create_app

    with create_app(_config(request, attachkit_mock_options)) as app:
        yield app
    if app.response_violations:
        pytest.fail(f"the attachkit mock sent responses that break its spec: {app.response_violations}")


def _config(request: pytest.FixtureRequest, options: dict[str, Any]) -> MockConfig:
    """The mock's configuration for a test: response validation on, then `attachkit_mock_options`, then the test's
    `attachkit_mock` marker."""
    from . import MockConfig

    merged: dict[str, Any] = {"validate_responses": True, **options}
    marker = request.node.get_closest_marker("attachkit_mock")
    if marker is not None:
        merged.update(marker.kwargs)
    return dataclasses.replace(MockConfig(), **merged)
