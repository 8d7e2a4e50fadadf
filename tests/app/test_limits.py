"""A real `backspasm-edu serve` keeps to its limits: kernels, culling, rates, sizes, key, TLS."""

from __future__ import annotations

import asyncio
import http.client
import re
import shutil
import socket
import ssl
import struct
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from websockets.sync.client import connect

from backspasm_edu.app import serve
from backspasm_edu.settings import MAX_WEBSOCKET_MESSAGE_BYTES
from tests.browser.support import INSTRUCTOR_KEY, serve_process

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
DASHBOARD = "09_instructor_dashboard"


def get(url: str, timeout: float = 60.0, context: ssl.SSLContext | None = None):
    """GET a URL as a script would (no browser, no websocket): (status, headers, text)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def open_page(base: str, app: str, query: str = "") -> str:
    """Open an app page with a plain GET; returns the id of the kernel it started."""
    status, _, text = get(f"{base}/voila/render/{app}.ipynb{query}")
    assert status == 200, text[:300]
    return KERNEL_ID.search(text).group(1)


def kernel_status(base: str, kernel_id: str) -> int:
    """The HTTP status of the kernel's model: 200 while it lives, 404 once shut down."""
    return get(f"{base}/api/kernels/{kernel_id}", timeout=10)[0]


def kernel_processes(server: subprocess.Popen) -> list[int]:
    """The process ids of the kernels the server has started (its child processes)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.pid:
            children.append(int(stat.parent.name))
    return children


def kernel_environment(pid: int) -> dict[str, str]:
    """The environment a kernel process was started with."""
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


def channels_url(base: str, kernel_id: str) -> str:
    """The websocket address a page uses to talk to its kernel."""
    return f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?session_id=test"


def close_code_for_a_message_of(base: str, kernel_id: str, size: int) -> int | None:
    """Open a page's kernel socket and announce a binary message of ``size`` bytes (its frame
    header only, as the server judges by it); returns the close code the server answers with,
    or None if it waits for the message. Raw frames: a client library would send the whole
    message, and the server's close could be lost to a reset while it is still sending."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(
            f"GET /api/kernels/{kernel_id}/channels?session_id=test HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        stream = raw.makefile("rb")
        assert stream.readline().startswith(b"HTTP/1.1 101")
        while stream.readline() not in (b"\r\n", b""):
            pass
        raw.sendall(struct.pack("!BBQ", 0x82, 0x80 | 127, size) + b"mask")
        raw.settimeout(3)
        try:
            while True:  # the server's frames: messages from the kernel, then perhaps a close
                first, second = stream.read(2)
                length = second & 0x7F
                if length >= 126:
                    length = int.from_bytes(stream.read(2 if length == 126 else 8), "big")
                payload = stream.read(length)
                if first & 0x0F == 0x8:
                    return int.from_bytes(payload[:2], "big")
        except TimeoutError:
            return None


@pytest.fixture
def serve_with(tmp_path):
    """Start serve with extra options; yields (base URL, process) from a context manager."""

    def start(*options: str):
        return serve_process("--progress", str(tmp_path), *options, log_path=tmp_path / "serve.log")

    return start


def test_a_full_class_gets_a_plain_503_page_and_no_kernel(serve_with) -> None:
    """At --max-kernels, a new page is a plain 503 'class is full' with Retry-After; no kernel starts."""
    with serve_with("--max-kernels", "1") as (base, server):
        open_page(base, "01_what_is_a_back_spasm")
        assert len(kernel_processes(server)) == 1
        status, headers, text = get(f"{base}/voila/render/02_causes.ipynb")
        assert status == 503
        assert headers["Retry-After"] == "60"
        assert headers["Content-Type"].startswith("text/html")
        assert "<h1>The class is full - try again in a minute</h1>" in text
        assert "kernelId" not in text
        assert len(kernel_processes(server)) == 1


def test_a_kernel_whose_page_never_connects_is_culled_but_a_connected_one_kept(
    serve_with,
) -> None:
    """A plain GET's kernel goes after --cull-unconnected-timeout; a page with a live socket keeps its kernel."""
    with serve_with("--cull-unconnected-timeout", "3", "--cull-interval", "1") as (base, _):
        abandoned = open_page(base, "01_what_is_a_back_spasm")
        kept = open_page(base, "02_causes")
        with connect(channels_url(base, kept), open_timeout=10):
            deadline = time.monotonic() + 30
            while kernel_status(base, abandoned) == 200 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert kernel_status(base, abandoned) == 404
            time.sleep(3)  # past the timeout for the connected one too
            status, _, model = get(f"{base}/api/kernels/{kept}")
            assert status == 200
            assert '"connections": 1' in model


def test_one_client_gets_a_plain_429_past_its_pages_per_minute(serve_with) -> None:
    """--pages-per-minute 2: a third new page within the minute is a plain 429 with Retry-After, no kernel."""
    with serve_with("--pages-per-minute", "2") as (base, server):
        open_page(base, "01_what_is_a_back_spasm")
        open_page(base, "02_causes")
        status, headers, text = get(f"{base}/voila/render/03_when_to_get_help.ipynb")
        assert status == 429
        assert headers["Retry-After"] == "60"
        assert "<h1>Too many pages at once</h1>" in text
        assert "more than 2 app pages in a minute" in text
        assert len(kernel_processes(server)) == 2


def test_big_request_bodies_and_websocket_messages_are_refused(serve_with) -> None:
    """A 50 MB request body gets 400 at once; a page's message over the limit closes its socket (1009)."""
    with serve_with() as (base, _):
        port = int(base.rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.putrequest("POST", "/voila/render/01_what_is_a_back_spasm.ipynb")
        connection.putheader("Content-Length", str(50 * 1024 * 1024))
        connection.endheaders()
        connection.send(b"x" * 65536)
        assert connection.getresponse().status == 400
        connection.close()
        kernel_id = open_page(base, "01_what_is_a_back_spasm")
        assert close_code_for_a_message_of(base, kernel_id, MAX_WEBSOCKET_MESSAGE_BYTES) is None
        assert close_code_for_a_message_of(base, kernel_id, MAX_WEBSOCKET_MESSAGE_BYTES + 1) == 1009
        assert kernel_status(base, kernel_id) == 200


def test_class_results_need_the_key_before_a_kernel_starts_and_only_they_get_it(
    serve_with,
) -> None:
    """No or a wrong key (however the path is spelled) is a plain 403 with no kernel; only the dashboard's kernel holds the key."""
    with serve_with() as (base, server):
        for path, query in [
            (f"{DASHBOARD}.ipynb", ""),
            (f"{DASHBOARD}.ipynb", "?key=wrong"),
            (f"/{DASHBOARD}.ipynb", ""),
            (f"./{DASHBOARD}.ipynb", "?key=wrong"),
            (f"{DASHBOARD}.ipynb", f"?key=wrong&key={INSTRUCTOR_KEY}"),
        ]:
            status, _, text = get(f"{base}/voila/render/{path}{query}")
            assert (path, query, status) == (path, query, 403)
            assert "<h1>This page is for the instructor</h1>" in text
        assert kernel_processes(server) == []
        open_page(base, "01_what_is_a_back_spasm")
        [learner] = kernel_processes(server)
        open_page(base, DASHBOARD, f"?key={INSTRUCTOR_KEY}")
        [dashboard] = [pid for pid in kernel_processes(server) if pid != learner]
        learner_env, dashboard_env = kernel_environment(learner), kernel_environment(dashboard)
        assert dashboard_env["HTTP_X_BACKSPASM_INSTRUCTOR_KEY"] == INSTRUCTOR_KEY
        assert INSTRUCTOR_KEY not in " ".join(learner_env.values())
        assert "BACKSPASM_EDU_INSTRUCTOR_KEY" not in dashboard_env
        assert "HTTP_X_BACKSPASM_INSTRUCTOR_KEY" not in learner_env
        for pid in (learner, dashboard):
            limits = Path(f"/proc/{pid}/limits").read_text()
            assert re.search(r"Max address space\s+1610612736\s+1610612736", limits)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_certfile_and_keyfile_serve_over_https(serve_with, tmp_path) -> None:
    """--certfile/--keyfile: the apps answer over HTTPS (a self-signed certificate here)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    trust = ssl.create_default_context(cafile=str(cert))
    trust.check_hostname = False
    start = serve_with("--certfile", str(cert), "--keyfile", str(key))
    original = urllib.request.urlopen

    def through_tls(url, timeout=None, **_):
        return original(url.replace("http://", "https://", 1), timeout=timeout, context=trust)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(urllib.request, "urlopen", through_tls)  # serve_process waits over HTTP
        with start as (base, _):
            https = base.replace("http://", "https://", 1)
            status, _, text = get(https + "/", context=trust)
    assert status == 200 and "01_what_is_a_back_spasm" in text


def test_a_kernel_over_its_memory_limit_gets_a_memory_error_and_lives_on() -> None:
    """serve's kernel manager starts kernels under RLIMIT_AS: a 1 GiB allocation in a 512 MiB kernel is a MemoryError."""
    limit = 512 * 2**20
    manager = serve.kernel_manager_class(512)()
    code = (
        "import resource\n"
        "print(resource.getrlimit(resource.RLIMIT_AS))\n"
        "try:\n    hog = bytearray(2**30)\nexcept MemoryError:\n    print('MemoryError')\n"
        "print(sum(range(10)))\n"
    )

    async def run_in_a_kernel() -> str:
        kernel_id = await manager.start_kernel(kernel_name="python3")
        printed: list[str] = []
        try:
            client = manager.get_kernel(kernel_id).client()
            client.start_channels()
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(
                code,
                timeout=60,
                output_hook=lambda message: printed.append(message["content"].get("text", "")),
            )
            client.stop_channels()
        finally:
            await manager.shutdown_kernel(kernel_id, now=True)
        return "".join(printed)

    # In a thread of its own: the browser tests' Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as thread:
        printed = thread.submit(asyncio.run, run_in_a_kernel()).result()
    assert printed == f"({limit}, {limit})\nMemoryError\n45\n"
