"""Binder: its lock is the one the tests run, and the apps run in the environment Binder builds.

The fast tests check binder/ and the README badges (tests/test_locks.py checks every lock against
pyproject.toml). The tests marked ``binder`` build what Binder
builds, from PyPI, in a fresh virtual environment (``python -m venv``, then ``pip install -r
binder/requirements.txt`` from the repository root, then ``binder/postBuild``), and run the
notebooks and the badges' URLs in it. Skip them with ``--skip-binder`` or BACKSPASM_SKIP_BINDER=1.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.test_locks import locked_pins

ROOT = Path(__file__).parents[1]
BINDER = ROOT / "binder"
REQUIREMENTS = BINDER / "requirements.txt"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BADGE = re.compile(
    r"\[!\[[^\]]+\]\(https://mybinder\.org/badge_logo\.svg\)\]"
    r"\(https://mybinder\.org/v2/gh/([^/\s]+/[^/\s]+)/HEAD\?urlpath=([^)\s]+)\)"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
KERNEL_NAME = "backspasm-binder-env"
INSTALL_TIMEOUT = 1800
SERVER_TIMEOUT = 120


def requirement_lines() -> list[str]:
    """The lines of binder/requirements.txt that are not comments or blank."""
    lines = REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def pins(python_full_version: str | None = None) -> dict[str, str]:
    """The versions binder/requirements.txt pins for this Python (or the one given), by name."""
    return locked_pins(REQUIREMENTS, python_full_version)


def runtime_version() -> str:
    """The X.Y of binder/runtime.txt."""
    return (BINDER / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")


def pyproject() -> dict[str, Any]:
    """The [project] table of pyproject.toml."""
    import tomllib  # Python 3.11+, the version binder/runtime.txt and the Makefile choose

    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return project


def badges() -> list[tuple[str, str]]:
    """Every Binder badge in the README: (owner/repo, decoded urlpath), in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [(repo, urllib.parse.unquote(path)) for repo, path in BADGE.findall(readme)]


# Fast checks of binder/ and the README.


def test_requirements_end_with_the_package_itself() -> None:
    """binder/requirements.txt ends with "." so Binder installs backspasm-edu from the checkout."""
    assert requirement_lines()[-1] == "."
    assert requirement_lines().count(".") == 1


def test_the_tests_run_exactly_what_binder_installs() -> None:
    """Every package Binder's lock pins for this Python is installed here at that very version."""
    drifted = {
        name: (version, metadata.version(name))
        for name, version in pins().items()
        if metadata.version(name) != version
    }
    assert drifted == {}, "the test environment differs from binder/requirements.txt: make test"


def test_every_runtime_dependency_is_pinned_within_its_pyproject_range() -> None:
    """Every dependency in pyproject.toml is pinned, to a version its range allows."""
    found = pins()
    for text in pyproject()["dependencies"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in found, f"{requirement.name} is not pinned in binder/requirements.txt"
        assert requirement.specifier.contains(found[name]), f"{name}=={found[name]} vs {text}"


def test_runtime_names_the_python_minor_version_the_tests_use() -> None:
    """binder/runtime.txt asks Binder for Python 3.11, the version Debian 12 has too."""
    text = (BINDER / "runtime.txt").read_text(encoding="utf-8")
    assert re.fullmatch(r"python-3\.\d+\n", text)
    assert runtime_version() == "3.11"


def test_post_build_is_an_executable_bash_script_that_stops_on_errors() -> None:
    """binder/postBuild is executable, runs under bash and starts with set -e."""
    post_build = BINDER / "postBuild"
    assert post_build.read_text(encoding="utf-8").splitlines()[:2] == ["#!/bin/bash", "set -e"]
    assert os.access(post_build, os.X_OK)


def test_repo2docker_accepts_the_binder_configuration() -> None:
    """repo2docker (--no-build) takes runtime.txt, requirements.txt and postBuild, after the repo."""
    repo2docker = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))
    assert repo2docker, "jupyter-repo2docker is missing: run make test"
    done = subprocess.run(
        [repo2docker, "--no-build", "--no-run", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert f"Building conda environment for python={runtime_version()}" in output
    install = output.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    copy = re.search(r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/$", output, re.MULTILINE)
    assert copy is not None and copy.start() < install, (
        "requirements.txt must be installed with the repository present, for its '.' line"
    )
    assert output.index("./binder/postBuild", install) > install
    assert "pip install --no-cache-dir .\n" not in output, "binder/ should replace pyproject.toml"


def test_readme_has_binder_badges_for_lab_the_gallery_and_every_app() -> None:
    """The README opens JupyterLab, the Voila gallery and each app on Binder, for one repository."""
    found = badges()
    homepage = pyproject()["urls"]["Homepage"]
    assert {repo for repo, _ in found} == {homepage.removeprefix("https://github.com/")}
    paths = [path for _, path in found]
    assert "lab" in paths
    assert "voila/tree/notebooks" in paths
    for notebook in NOTEBOOKS:
        assert f"voila/render/notebooks/{notebook.name}" in paths, notebook.name


# What Binder builds, built here from PyPI and used as Binder would.


@dataclass(frozen=True)
class BinderEnv:
    """A virtual environment built from binder/ as Binder builds its image."""

    prefix: Path
    home: Path

    @property
    def python(self) -> Path:
        """The environment's Python."""
        return self.prefix / "bin" / "python"

    def environ(self, **extra: str) -> dict[str, str]:
        """This process's variables with the environment first on PATH and a fresh Jupyter home."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"PYTHONPATH", "PYTHONHOME"} and not key.startswith("JUPYTER")
        }
        env.update(
            PATH=f"{self.prefix / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            VIRTUAL_ENV=str(self.prefix),
            JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
            JUPYTER_DATA_DIR=str(self.home / ".local" / "share" / "jupyter"),
            JUPYTER_RUNTIME_DIR=str(self.home / ".local" / "share" / "jupyter" / "runtime"),
            IPYTHONDIR=str(self.home / ".ipython"),
        )
        env.update(extra)
        return env

    def run(self, *command: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a command from the repository root inside the environment; fail with its output."""
        done = subprocess.run(
            [str(part) for part in command],
            cwd=ROOT,
            env=self.environ(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stderr[-4000:]}"
        return done


def binder_python() -> str:
    """A Python of the version binder/runtime.txt names, to build the environment with."""
    wanted = runtime_version()
    if f"{sys.version_info.major}.{sys.version_info.minor}" == wanted:
        return sys.executable
    found = shutil.which(f"python{wanted}")
    if found is None:
        pytest.fail(f"Python {wanted} (binder/runtime.txt) is needed to build the Binder env")
    return found


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory: pytest.TempPathFactory) -> BinderEnv:
    """A fresh venv holding only binder/requirements.txt, after binder/postBuild has run."""
    base = tmp_path_factory.mktemp("binder")
    env = BinderEnv(prefix=base / "venv", home=base / "home")
    env.home.mkdir()
    subprocess.run([binder_python(), "-m", "venv", str(env.prefix)], check=True, timeout=300)
    # As Binder does, less --no-cache-dir: pip's own cache makes a second run quicker.
    env.run(
        env.python, "-m", "pip", "install", "--disable-pip-version-check",
        "-r", "binder/requirements.txt",
        timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    post_build = BINDER / "postBuild"
    if post_build.exists():
        env.run(post_build)
    return env


@pytest.mark.slow
@pytest.mark.binder
def test_binder_env_holds_exactly_the_pins_and_the_package(binder_env: BinderEnv) -> None:
    """Installing binder/requirements.txt brings in no unpinned package, and pip check passes."""
    frozen = binder_env.run(binder_env.python, "-m", "pip", "freeze").stdout.splitlines()
    installed = {}
    for line in frozen:
        name, _, version = line.partition("==")
        if " @ " in line:
            name, version = line.split(" @ ")[0], "local"
        installed[canonicalize_name(name)] = version
    assert installed.pop(canonicalize_name("backspasm-edu")) == "local"
    version = binder_env.run(
        binder_env.python, "-c", "import platform; print(platform.python_version())"
    )
    assert installed == pins(version.stdout.strip())
    binder_env.run(binder_env.python, "-m", "pip", "check")


@pytest.mark.slow
@pytest.mark.binder
def test_binder_env_imports_the_installed_package_not_the_source_tree(
    binder_env: BinderEnv,
) -> None:
    """From the notebooks' folder, the Binder env's Python imports its own installed copy."""
    code = "import backspasm_edu; print(backspasm_edu.__file__)"
    done = subprocess.run(
        [str(binder_env.python), "-c", code],
        cwd=ROOT / "notebooks",
        env=binder_env.environ(),
        capture_output=True,
        text=True,
        check=True,
    )
    where = Path(done.stdout.strip())
    assert where.is_relative_to(binder_env.prefix / "lib"), where


@pytest.mark.slow
@pytest.mark.binder
def test_voila_is_an_enabled_server_extension_in_the_binder_env(binder_env: BinderEnv) -> None:
    """Voila is enabled and loads as a Jupyter server extension, so voila/ URLs work on Binder."""
    done = binder_env.run(binder_env.prefix / "bin" / "jupyter", "server", "extension", "list")
    listing = ANSI.sub("", done.stdout + done.stderr)
    assert re.search(r"^\s*voila\.server_extension\s+enabled$", listing, re.MULTILINE), listing
    assert re.search(r"^\s*voila\.server_extension\s+OK$", listing, re.MULTILINE), listing


@pytest.mark.slow
@pytest.mark.binder
def test_notebooks_pass_nbval_on_a_kernel_running_the_binder_env(
    binder_env: BinderEnv, tmp_path: Path
) -> None:
    """nbval runs every notebook top to bottom on a kernel started from the Binder env's Python."""
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    kernel = {
        "argv": [str(binder_env.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Binder env)",
        "language": "python",
        "env": {"PATH": binder_env.environ()["PATH"], "VIRTUAL_ENV": str(binder_env.prefix)},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v",
         "--nbval-lax", "--nbval-kernel-name", KERNEL_NAME, *map(str, NOTEBOOKS)],
        cwd=ROOT,
        env={**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter")},
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    for notebook in NOTEBOOKS:  # nbval names items like notebooks/00_start_here::ipynb::Cell 0
        assert re.search(rf"/{notebook.stem}\S*::Cell 0 PASSED", done.stdout), notebook.name


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A Jupyter server running in the Binder env."""

    base: str
    token: str

    def get(self, path: str) -> str:
        """The body of a page, which must answer 200."""
        return self.post(path, method="GET")

    def post(self, path: str, method: str = "POST") -> str:
        """The body of the answer to a request, which must be 200."""
        request = urllib.request.Request(
            f"{self.base}/{path}",
            headers={"Authorization": f"token {self.token}"},
            method=method,
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 200, path
            body: str = response.read().decode("utf-8")
            return body


@pytest.fixture
def jupyter_server(binder_env: BinderEnv, tmp_path: Path) -> Iterator[Server]:
    """`jupyter notebook` from the repository root, repo2docker's default command, on loopback."""
    port, token = free_port(), "binder-test-token"
    log_path = tmp_path / "jupyter-server.log"
    command = [
        str(binder_env.prefix / "bin" / "jupyter"), "notebook", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")  # Binder runs as a user; this machine may not
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=binder_env.environ(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", token)
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            assert process.poll() is None, log_path.read_text(encoding="utf-8")[-4000:]
            try:
                server.get("api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, "the Jupyter server did not start in time"
                time.sleep(0.3)
        yield server
    finally:
        if process.poll() is None:
            with contextlib.suppress(OSError):
                server.post("api/shutdown")  # shuts the apps' kernels down too
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def kept_cells(notebook: Path) -> int:
    """The number of cells Voila should show: all but those tagged remove-cell."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum("remove-cell" not in cell.get("metadata", {}).get("tags", []) for cell in cells)


@pytest.mark.slow
@pytest.mark.binder
def test_readme_badge_urls_serve_lab_the_gallery_and_every_app(jupyter_server: Server) -> None:
    """Each badge's urlpath answers from the Binder env; apps render without code or author cells."""
    paths = [path for _, path in badges()]
    assert "<title>JupyterLab" in jupyter_server.get("lab")
    gallery = jupyter_server.get("voila/tree/notebooks?classic-tree=true")
    assert '"frontend": "voila"' in jupyter_server.get("voila/tree/notebooks")
    for notebook in NOTEBOOKS:
        assert f"/voila/render/notebooks/{notebook.name}" in gallery, notebook.name
    for path in paths:
        if not path.startswith("voila/render/"):
            continue
        page = jupyter_server.get(path)
        notebook = ROOT / path.removeprefix("voila/render/")
        assert "application/vnd.jupyter.widget-view+json" in page, path
        assert "There was an error when executing cell" not in page, path
        assert page.count('class="jp-Cell ') == kept_cells(notebook), f"{path}: author cells"
        code_cells = re.findall(r'class="jp-Cell jp-CodeCell[^"]*"', page)
        assert all("jp-mod-noInput" in cell for cell in code_cells), f"{path}: code shown"
