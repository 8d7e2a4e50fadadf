"""deploy/jupyterhub on a real JupyterHub: two students answer the quiz, the instructor sees both."""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, READY, chromium_available, free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "jupyterhub"
HUB_REQUIREMENTS = DEPLOY / "hub-requirements.txt"
PROXY_PACKAGE = "configurable-http-proxy@5.3.0"
CACHE = Path(sys.prefix) / "jupyterhub-test"
"""JupyterHub's packages and the proxy, kept in the test venv between runs (make clean drops them)."""
PASSWORD = "class-password-for-tests"
STUDENTS = ("alice", "bob")
INSTRUCTOR = "teacher"
QUIZ = "01_what_is_a_back_spasm"
"""The app with the quick-check quiz, whose first question always comes first."""
SPASM = "A sudden tightening of back muscles that happens without you choosing it"
DASHBOARD = "09_instructor_dashboard"
LOAD_TIMEOUT_MS = 120_000
ROW_HEADS = "() => [...document.querySelectorAll('th[scope=row]')].map(th => th.innerText.trim())"


SYSTEM_CERTIFICATES = Path("/etc/ssl/certs/ca-certificates.crt")
"""Debian's CA bundle: node ignores it unless told, so npm could not verify a registry (or a
proxy to it) that the system trusts, and retried each package for a minute."""


def run(*command: str | os.PathLike[str]) -> None:
    """Run a set-up command, failing the test with its output if it fails.

    Node is given the system's CA bundle too, as pip and apt use it.
    """
    environment = dict(os.environ)
    if SYSTEM_CERTIFICATES.exists():
        environment.setdefault("NODE_EXTRA_CA_CERTS", str(SYSTEM_CERTIFICATES))
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=environment)
    if done.returncode:
        pytest.fail(f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}")


def npm() -> str:
    """npm, installed with Debian's nodejs and npm when it is missing and we are root."""
    found = shutil.which("npm")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "nodejs", "npm")
        return shutil.which("npm") or "npm"
    pytest.skip("npm is missing: install Debian's nodejs and npm (sudo apt-get install nodejs npm)")


def hub_environment() -> Path:
    """JupyterHub's own packages and the proxy, installed once into the cache, then reused.

    hub-requirements.txt goes into a folder of its own (pip --target, --no-deps) that the hub
    adds to the test venv's packages through PYTHONPATH, which JupyterHub hands on to each
    student's server: the installed backspasm-edu, Voila and the locked Jupyter packages run as
    they are, and pip check vets the whole set.
    """
    stamp = CACHE / "stamp"
    wanted = hashlib.sha256(
        HUB_REQUIREMENTS.read_bytes() + f"{PROXY_PACKAGE} {sys.prefix}".encode()
    ).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return CACHE
    shutil.rmtree(CACHE, ignore_errors=True)
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    run(*pip, "install", "--quiet", "--no-deps", "--target", CACHE / "packages",
        "--requirement", HUB_REQUIREMENTS)  # fmt: skip
    done = subprocess.run(
        [*pip, "check"],
        env={**os.environ, "PYTHONPATH": str(CACHE / "packages")},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"hub-requirements.txt does not fit the locks:\n{done.stdout}"
    run(npm(), "install", "--prefix", CACHE / "proxy", "--no-audit", "--no-fund", PROXY_PACKAGE)
    stamp.write_text(wanted)
    return CACHE


@contextlib.contextmanager
def running_hub(tmp_path: Path) -> Iterator[str]:
    """deploy/jupyterhub/jupyterhub_config.py on free 127.0.0.1 ports; yields its base URL."""
    cache = hub_environment()
    port = free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(cache / "packages"),
        "PATH": f"{cache / 'proxy' / 'node_modules' / '.bin'}:{os.environ['PATH']}",
        "BACKSPASM_HUB_PORT": str(port),
        "BACKSPASM_HUB_PASSWORD": PASSWORD,
        "BACKSPASM_HUB_INSTRUCTORS": INSTRUCTOR,
        "BACKSPASM_HUB_CLASS_STORE": str(tmp_path / "class") + "/",
        "BACKSPASM_HUB_ALLOW_ROOT": "1" if os.geteuid() == 0 else "0",
    }
    log_path = tmp_path / "jupyterhub.log"
    with open(log_path, "w") as log:
        hub = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", DEPLOY / "jupyterhub_config.py",
             f"--JupyterHub.hub_port={free_port()}",
             f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}",
             f"--SimpleLocalProcessSpawner.home_dir_template={tmp_path}/home/{{username}}"],
            cwd=tmp_path,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if hub.poll() is not None:
                    pytest.fail(f"jupyterhub exited with {hub.returncode}:\n{log_path.read_text()}")
                try:
                    with urllib.request.urlopen(f"{base}/hub/health", timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    if time.monotonic() > deadline:
                        pytest.fail(f"jupyterhub did not start:\n{log_path.read_text()}")
                    time.sleep(0.5)
            yield base
        finally:
            hub.terminate()  # the hub stops the students' servers and the proxy it started
            try:
                hub.wait(timeout=30)
            except subprocess.TimeoutExpired:
                hub.kill()
                hub.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(hub.pid, signal.SIGKILL)


def sign_in(browser, base: str, name: str):
    """A browser page signed in to the hub as ``name``, whose server has started."""
    page = browser.new_context().new_page()
    page.set_default_timeout(LOAD_TIMEOUT_MS)
    page.goto(f"{base}/hub/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf"/user/{name}/voila/tree"))
    return page


def open_app(page, base: str, name: str, app: str, query: str = "") -> None:
    """Open one app through the hub on ``name``'s own server and wait until it is ready."""
    page.goto(f"{base}/user/{name}/voila/render/{app}.ipynb{query}")
    page.get_by_text(READY[app], exact=False).first.wait_for(state="visible")


@pytest.mark.slow
@pytest.mark.network
@pytest.mark.browser
def test_students_answer_through_the_hub_and_only_the_instructor_sees_the_class(tmp_path):
    """Two hub users answer the quiz as themselves; class results open for the instructors group only, not for a key."""
    if not chromium_available():
        pytest.skip(f"{CHROMIUM} is missing: run 'make test' (as root it installs Chromium)")
    # The browser runs in a thread of its own: the browser tests' session Playwright keeps an
    # asyncio loop running in the main thread, where the sync API refuses to start another.
    with (
        running_hub(tmp_path) as base,
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker,
    ):
        worker.submit(answer_and_read_the_class, base).result()


def answer_and_read_the_class(base: str) -> None:
    """The students answer through the hub; a key opens nothing; the instructor sees both."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = {name: sign_in(browser, base, name) for name in (*STUDENTS, INSTRUCTOR)}
            for name in STUDENTS:
                page = pages[name]
                open_app(page, base, name, QUIZ, "?learner=mallory")
                assert f"Learning as {name}" in page.inner_text("body")
                assert "mallory" not in page.inner_text("body")
                page.get_by_label(SPASM).check()
                page.get_by_role("button", name="Check").click()
                page.get_by_text("✓ Right").first.wait_for(state="visible")

            bob = pages["bob"]
            bob.goto(f"{base}/user/bob/voila/render/{DASHBOARD}.ipynb?key=anything")
            bob.get_by_text("This page is for the instructor").wait_for(state="visible")
            assert "members of its instructors group" in bob.inner_text("body")

            teacher = pages[INSTRUCTOR]
            open_app(teacher, base, INSTRUCTOR, DASHBOARD)
            teacher.wait_for_function(
                f"names => names.every(name => ({ROW_HEADS})().includes(name))",
                arg=list(STUDENTS),
            )
            assert teacher.evaluate(ROW_HEADS) == list(STUDENTS)
        finally:
            browser.close()
