"""Fixtures for the command and server tests: a stand-in for Voila that serves nothing."""

from __future__ import annotations

import logging

import pytest

from backspasm_edu.app import serve


class FakeVoila:
    """Stands in for voila.app.Voila: records what serve() configured instead of serving."""

    started: FakeVoila | None = None

    def __init__(self, config) -> None:
        self.config = config
        self.log = logging.getLogger("fake-voila")
        self.template_paths = ["/voila/templates/lab"]

    def setup_template_dirs(self) -> None:
        """Voila fills template_paths here; the fake keeps its one path."""

    def initialize(self, argv) -> None:
        assert argv == []
        self.setup_template_dirs()

    def start(self) -> None:
        FakeVoila.started = self
        self.launch_browser()  # as Voila's listen() does once the port is bound


@pytest.fixture
def fake_voila(monkeypatch):
    """serve() runs FakeVoila instead of a server; no content folder is inherited."""
    import voila.app

    monkeypatch.setattr(voila.app, "Voila", FakeVoila)
    monkeypatch.setenv(serve.CONTENT_ENV, "unset")
    monkeypatch.delenv(serve.CONTENT_ENV)
    FakeVoila.started = None
    return FakeVoila
