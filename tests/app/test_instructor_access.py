"""Class results fail closed: the key, or one person on their own machine, never anyone by default."""

from __future__ import annotations

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
