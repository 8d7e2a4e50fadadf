"""Class results fail closed: the hub's instructors, the key, or one person alone, never anyone by default."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from backspasm_edu.instructor.access import may_see_class_results

VOILA_PAGE = {"SERVER_SOFTWARE": "voila/0.5.11", "VOILA_BASE_URL": "/"}
SETTINGS = (
    "BACKSPASM_EDU_INSTRUCTOR_KEY",
    "HTTP_X_BACKSPASM_INSTRUCTOR_KEY",
    "BACKSPASM_EDU_SINGLE_USER",
    "BINDER_LAUNCH_HOST",
    "SERVER_SOFTWARE",
    "VOILA_BASE_URL",
    "JUPYTERHUB_USER",
    "JUPYTERHUB_API_URL",
    "JUPYTERHUB_API_TOKEN",
    "BACKSPASM_EDU_INSTRUCTOR_GROUP",
)


@pytest.fixture
def environment(monkeypatch):
    """A kernel environment with none of the settings that decide access; returns a setter."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)

    def set_environment(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_environment


def test_bare_voila_with_no_key_refuses_class_results(environment) -> None:
    """`voila notebooks/` with no key set shows class results to nobody, whatever key a page gives."""
    environment(**VOILA_PAGE)
    assert not may_see_class_results("")
    assert not may_see_class_results("anything")


@pytest.mark.parametrize(
    "single_user",
    [{"BACKSPASM_EDU_SINGLE_USER": "1"}, {"BINDER_LAUNCH_HOST": "https://mybinder.org/"}],
)
def test_voila_opens_class_results_for_an_explicit_single_user(environment, single_user) -> None:
    """Under Voila with no key, $BACKSPASM_EDU_SINGLE_USER=1 or a Binder session open them."""
    environment(**VOILA_PAGE, **single_user)
    assert may_see_class_results("")


def test_a_notebook_in_jupyterlab_is_single_user(environment) -> None:
    """Run as a notebook (not rendered by Voila), with no key, class results open."""
    assert may_see_class_results("")


def test_the_key_set_or_vouched_by_serve_must_match(environment) -> None:
    """With a key in the environment, or handed by serve to the dashboard's kernel, only it opens them, even for a single user."""
    environment(**VOILA_PAGE, BACKSPASM_EDU_SINGLE_USER="1", BACKSPASM_EDU_INSTRUCTOR_KEY="s3cret")
    assert may_see_class_results("s3cret") and not may_see_class_results("wrong")
    environment(BACKSPASM_EDU_INSTRUCTOR_KEY="")
    environment(HTTP_X_BACKSPASM_INSTRUCTOR_KEY="vouched")
    assert may_see_class_results("vouched") and not may_see_class_results("")


class FakeHub(BaseHTTPRequestHandler):
    """The hub's REST API as far as class results ask it: GET /hub/api/user for a token."""

    users: ClassVar[dict[str, dict[str, object]]] = {
        "token-of-teacher": {"name": "teacher", "admin": False, "groups": ["instructors"]},
        "token-of-head": {"name": "head", "admin": True, "groups": []},
        "token-of-alice": {"name": "alice", "admin": False, "groups": ["class-a"]},
    }

    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ")
        user = self.users.get(token)
        if self.path != "/hub/api/user" or user is None:
            self.send_error(403)
            return
        body = json.dumps(user).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def hub(environment):
    """A fake hub on 127.0.0.1; returns a setter for the single-user server's user and token."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeHub)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    api = f"http://127.0.0.1:{server.server_address[1]}/hub/api"

    def run_as(user: str, token: str, **values: str) -> None:
        settings = {"JUPYTERHUB_API_URL": api, **values}
        environment(JUPYTERHUB_USER=user, JUPYTERHUB_API_TOKEN=token, **settings)

    yield run_as
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("user", "token", "allowed"),
    [
        ("teacher", "token-of-teacher", True),
        ("head", "token-of-head", True),
        ("alice", "token-of-alice", False),
        ("alice", "token-of-teacher", False),
        ("teacher", "a-token-the-hub-refuses", False),
    ],
    ids=["instructors-group", "admin", "student", "someone-elses-token", "refused-token"],
)
def test_under_a_hub_the_hub_says_who_sees_class_results(hub, user, token, allowed) -> None:
    """Under JupyterHub, class results open for the instructors group and admins as the hub reports them, for the server's own user only."""
    hub(user, token, **VOILA_PAGE)
    assert may_see_class_results("") is allowed


def test_under_a_hub_a_key_or_a_notebook_opens_nothing_for_a_student(hub) -> None:
    """A student's hub server ignores the instructor key and the one-person fallbacks."""
    hub("alice", "token-of-alice", BACKSPASM_EDU_INSTRUCTOR_KEY="s3cret")
    assert not may_see_class_results("s3cret")
    hub("alice", "token-of-alice", BACKSPASM_EDU_INSTRUCTOR_KEY="", BACKSPASM_EDU_SINGLE_USER="1")
    assert not may_see_class_results("")


def test_the_instructor_group_can_be_renamed_and_an_unreachable_hub_says_no(hub) -> None:
    """$BACKSPASM_EDU_INSTRUCTOR_GROUP names the group; a hub that cannot be reached opens nothing."""
    hub("alice", "token-of-alice", BACKSPASM_EDU_INSTRUCTOR_GROUP="class-a")
    assert may_see_class_results("")
    hub("teacher", "token-of-teacher", BACKSPASM_EDU_INSTRUCTOR_GROUP="")
    assert may_see_class_results("")
    hub("teacher", "token-of-teacher", JUPYTERHUB_API_URL="http://127.0.0.1:9/hub/api")
    assert not may_see_class_results("")
