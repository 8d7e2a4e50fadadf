"""Serve the app notebooks with Voila for a class, and copy them out for editing in JupyterLab.

`backspasm-edu serve` runs Voila with this package's configuration set in code: it never reads a
``voila.json`` from the current folder or the user's Jupyter config. Sources are stripped,
tracebacks hidden, cells tagged ``remove-cell`` removed, and the kernel of a page that is closed
is shut down once idle (Voila 0.5 leaves it running otherwise, voila issue 1458), as is a kernel
whose page never connected. Live kernels are capped, new pages rate-limited per client, request
bodies and websocket messages bounded, and each kernel's memory limited. A class pool keeps a
kernel ready per student for the apps a lesson opens, filled before the lesson and refilled once
arrivals calm down. The landing page lists every notebook with the title and description kept
in its metadata.
"""

from __future__ import annotations

import asyncio
import collections
import errno
import functools
import hashlib
import ipaddress
import json
import mimetypes
import os
import secrets
import socket
import ssl
import sys
import threading
import time
import webbrowser
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote, urlencode

from backspasm_edu.app.learner_pages import (
    ADMISSION_SETTING,
    DASHBOARD_SETTING,
    INSTRUCTOR_KEY_SETTING,
    SECRET_SETTING,
    PageAdmission,
    class_links,
    read_class_list,
    with_learner_pages,
)
from backspasm_edu.content.course import METADATA_KEY, CourseError, app_notebooks
from backspasm_edu.errors import BackspasmError, InputError, Problem
from backspasm_edu.progress import ProgressStore, course_secret, shown_location, store_location
from backspasm_edu.settings import (
    BROWSER_HEADER,
    CONTENT_ENV,
    CULL_IDLE_TIMEOUT,
    CULL_INTERVAL,
    CULL_UNCONNECTED_TIMEOUT,
    DEFAULT_HOST,
    DEFAULT_PORT,
    INSTRUCTOR_KEY_ENV,
    INSTRUCTOR_KEY_HEADER,
    KERNEL_MEMORY_ESTIMATE_MIB,
    KERNEL_MEMORY_LIMIT_MIB,
    MAX_PREHEAT_KERNELS,
    MAX_REQUEST_BODY_BYTES,
    MAX_WEBSOCKET_MESSAGE_BYTES,
    MIN_MAX_KERNELS,
    PAGES_PER_MINUTE,
    PROGRESS_ENV,
    SERVER_MEMORY_RESERVE_MIB,
    SIGNED_LEARNER_HEADER,
)

if TYPE_CHECKING:
    from importlib.abc import Traversable  # importlib.resources.abc from Python 3.11 on

    from tornado.httputil import HTTPHeaders

__all__ = [
    "AppInfo",
    "ClassPool",
    "ServeError",
    "ServeOptions",
    "app_info",
    "check_content",
    "check_port",
    "copy_notebooks",
    "default_max_kernels",
    "kernel_manager_class",
    "landing_entries",
    "notebooks_dir",
    "run",
    "serve",
    "voila_config",
]

CELL_TIMEOUT = 120
"""Seconds a cell may run while a page loads; a cell that takes longer is stopped."""
REMOVE_TAG = "remove-cell"
LAB_EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]
"""The only JupyterLab extensions app pages load: what ipywidgets needs. Extensions of other
packages in the environment (Notebook 7's, for one) fail in a Voila page with a console error.
A widget library with its own JupyterLab extension must be added here."""
TEMPLATES = Path(__file__).parent / "voila_templates"
"""Jinja templates put before Voila's "lab" template: the landing page (tree.html)."""
_REPO_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
MIN_KERNEL_MEMORY_LIMIT_MIB = 256
"""A kernel needs about this much address space to start with the apps' libraries."""
SMALL_ADDRESS_SPACE_ENV = {"MALLOC_ARENA_MAX": "2", "OPENBLAS_NUM_THREADS": "1"}
"""Set for a memory-limited kernel unless already set: glibc reserves an arena and OpenBLAS a
buffer per thread (per core), which on a many-core machine could fill the address space limit
before the kernel holds any data; the apps' small tables need neither."""
DASHBOARD = "09_instructor_dashboard"
"""The class results page: it opens only with the instructor key (``?key=``)."""
MAX_CLASS_SIZE = 500
"""The most students --class-size keeps a kernel ready for, per app."""
REFILL_CALM_SECONDS = 3.0
"""A class pool refills only once no page has arrived for this long and the server has been
calm as long: a class arriving together gets the machine to itself, instead of sharing it with
the kernels started to replace theirs."""
CALM_SERVER_SHARE = 0.25
"""The server counts as calm below this share of one core: pages that arrived are loaded."""
READY_CHECK_SECONDS = 0.25
"""How often a kernel being added to the class pool is checked for having run its notebook."""
REFILL_CHECK_SECONDS = 1.0
"""How often the class pool looks whether it can refill."""


class ServeError(BackspasmError):
    """The server cannot start, or notebooks cannot be copied, for a reason the user can fix."""


@dataclass(frozen=True)
class ServeOptions:
    """What ``backspasm-edu serve`` was asked for."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    open_browser: bool = False
    content: Path | None = None
    cull_idle_timeout: int = CULL_IDLE_TIMEOUT
    cull_interval: int = CULL_INTERVAL
    cull_unconnected_timeout: int = CULL_UNCONNECTED_TIMEOUT
    verbose: bool = False
    progress: Path | None = None
    instructor_key: str | None = None
    """The key as given on the command line (visible in ``ps``: serve warns) or read from a file."""
    instructor_key_file: Path | None = None
    preheat_kernels: int = 0
    max_kernels: int | None = None
    """Live kernels at most; None for ``default_max_kernels()``."""
    pages_per_minute: int = PAGES_PER_MINUTE
    kernel_memory_limit: int = KERNEL_MEMORY_LIMIT_MIB
    """MiB of address space per kernel (RLIMIT_AS); 0 for no limit."""
    certfile: Path | None = None
    keyfile: Path | None = None
    class_list: Path | None = None
    class_names: tuple[str, ...] = ()
    """The names read from ``class_list`` (read once: it may be a pipe)."""
    class_size: int = 0
    """Kernels kept ready per class app (``--class-size``); 0 for no class pool."""
    class_apps: tuple[str, ...] = ()
    """The apps the class opens (``--app``, names without .ipynb); empty: every learner app."""


@dataclass(frozen=True)
class AppInfo:
    """One entry of the landing page: where the app is, its title and what it does."""

    path: str
    title: str
    description: str
    is_folder: bool = False
    for_learners: bool = True


def notebooks_dir() -> Path:
    """The folder of app notebooks: inside the installed package, else the repository's."""
    packaged = resources.files("backspasm_edu") / "notebooks"
    if packaged.is_dir():
        if not isinstance(packaged, Path):
            raise ServeError(
                "the app notebooks are inside a zip file; install backspasm-edu with pip to serve"
            )
        return packaged
    if _REPO_NOTEBOOKS.is_dir():
        return _REPO_NOTEBOOKS
    raise ServeError("the app notebooks are missing from this installation; reinstall it")


def _notebook_files() -> list[Traversable]:
    """The packaged notebooks, read through importlib.resources (works from a zip too)."""
    try:
        return app_notebooks()
    except CourseError as error:
        raise ServeError(str(error)) from None


def copy_notebooks(dest: str | os.PathLike[str], force: bool = False) -> list[Path]:
    """Copy every app notebook into ``dest`` (created if needed); returns the files written.

    Existing files are never overwritten without ``force``: the error names all of them. A
    link in the place of a notebook is refused, even with ``force``: nothing is written through
    a link, so nothing lands outside ``dest``.
    """
    target = Path(dest)
    if target.exists() and not target.is_dir():
        raise ServeError(f"{target}: expected a folder to copy the notebooks into, got a file")
    notebooks = _notebook_files()
    links = [item.name for item in notebooks if (target / item.name).is_symlink()]
    if links:
        raise ServeError(
            f"{target}: {', '.join(links)} {'is a link' if len(links) == 1 else 'are links'}; "
            "notebooks are never written through a link: remove it or choose another folder"
        )
    clashes = [item.name for item in notebooks if (target / item.name).exists()]
    if clashes and not force:
        raise ServeError(
            f"{target}: {', '.join(clashes)} already exist; add --force to overwrite them"
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for item in notebooks:
            path = target / item.name
            _write_not_through_a_link(path, item.read_bytes())
            written.append(path)
    except OSError as error:
        raise ServeError(f"{target}: cannot write the notebooks ({error.strerror})") from None
    return written


def _write_not_through_a_link(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, failing (ELOOP) if a link was put there since the check."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, 0o644), "wb") as handle:
        handle.write(data)


def _first_heading_and_line(cells: Iterable[Mapping[str, Any]]) -> tuple[str, str]:
    """The first markdown heading of a notebook and the first plain line after it."""
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        heading = next((line for line in lines if line.startswith("#")), "")
        if not heading:
            continue
        after = lines[lines.index(heading) + 1 :]
        plain = next((line for line in after if not line.startswith((">", "#", "-", "|"))), "")
        return heading.lstrip("#").strip(), plain
    return "", ""


def app_info(path: Path, relative: str | None = None) -> AppInfo:
    """Title and description of a notebook: its metadata, else its first heading and line."""
    fallback = path.stem.split("_", 1)[-1].replace("_", " ").capitalize()
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        metadata = notebook.get("metadata", {}).get(METADATA_KEY, {})
        heading, line = _first_heading_and_line(notebook.get("cells", []))
    except (OSError, ValueError, AttributeError):
        metadata, heading, line = {}, "", ""
    if not isinstance(metadata, dict):
        metadata = {}
    title = str(metadata.get("title") or heading or fallback)
    description = str(metadata.get("description") or line)
    for_learners = metadata.get("for_learners", True) is not False
    return AppInfo(relative or path.name, title, description, for_learners=for_learners)


def landing_entries(folder: Path) -> Callable[[Iterable[Mapping[str, Any]]], list[AppInfo]]:
    """The landing page's helper: Voila's listing of ``folder`` turned into app entries."""

    def entries(contents: Iterable[Mapping[str, Any]]) -> list[AppInfo]:
        found = []
        for item in contents:
            relative = str(item.get("path", ""))
            if item.get("type") == "notebook":
                found.append(app_info(folder / relative, relative))
            elif item.get("type") == "directory":
                found.append(AppInfo(relative, str(item.get("name", relative)), "", True))
        return found

    return entries


def check_port(host: str, port: int) -> None:
    """Raise ServeError naming the problem unless ``host:port`` can be listened on now."""
    if not 1 <= port <= 65535:
        raise InputError("--port", "a port number from 1 to 65535", str(port))
    try:
        addresses = socket.getaddrinfo(
            host or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
        )
    except socket.gaierror as error:
        raise ServeError(
            f"--host {host}: not an address or a name this machine knows ({error.strerror})"
        ) from None
    for family, kind, proto, _, address in dict.fromkeys(addresses):
        with socket.socket(family, kind, proto) as probe:
            # As Tornado does when it listens: a port left in TIME_WAIT counts as free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRNOTAVAIL and host == "localhost":
                    continue  # no IPv6 loopback here; Tornado skips ::1 the same way
                raise ServeError(_bind_problem(host, port, error)) from None


def _bind_problem(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use (is another server running?); "
            "stop it or choose another port with --port"
        )
    if error.errno == errno.EACCES:
        return (
            f"no permission to listen on port {port} (ports below 1024 need administrator "
            "rights); choose another port with --port, such as 8866"
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return (
            f"--host {host}: not an address of this machine; use 127.0.0.1 for this computer "
            "only, or 0.0.0.0 for every network it is on"
        )
    return f"cannot listen on {host}:{port} ({error.strerror})"


def check_content(path: str | os.PathLike[str]) -> tuple[Path, list[Problem]]:
    """The content folder as an absolute path, and every problem ``validate`` finds in it."""
    from backspasm_edu.content.loader import validate_paths

    folder = Path(path).expanduser()
    if folder.exists() and not folder.is_dir():
        raise InputError("--content", "a folder of content files", f"the file {str(path)!r}")
    _, problems = validate_paths([folder])
    return folder.resolve(), problems


def _available_memory_mib(meminfo: Path) -> int | None:
    """Memory free for new programs: MemAvailable on Linux, else half the machine's memory."""
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2 // 2**20
    except (AttributeError, OSError, ValueError):
        return None


def default_max_kernels(meminfo: Path = Path("/proc/meminfo")) -> int:
    """Live kernels this machine can hold now: (available MiB - 512) / 150, at least 4."""
    available = _available_memory_mib(meminfo)
    if available is None:
        return MIN_MAX_KERNELS
    fits = (available - SERVER_MEMORY_RESERVE_MIB) // KERNEL_MEMORY_ESTIMATE_MIB
    return max(MIN_MAX_KERNELS, fits)


def kernel_manager_class(memory_limit_mib: int) -> type:
    """Jupyter's kernel manager, starting each kernel with at most this much address space.

    The limit is set (RLIMIT_AS, soft and hard) in the kernel's process before it runs Python,
    so a kernel asked to hold too much gets a MemoryError instead of eating the machine's memory.
    Preheated kernels, started by Voila's pool through this class, get it too.
    """
    import resource

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    limit = memory_limit_mib * 2**20

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    class MemoryLimitedKernelManager(AsyncMappingKernelManager):
        """Starts every kernel under the memory limit (a Popen preexec_fn, kept for restarts)."""

        # jupyter_server's own start_kernel is this coroutine, typed as jupyter_client's sync one
        async def start_kernel(self, **kwargs: Any) -> str:  # type: ignore[override]
            env = kwargs.setdefault("env", dict(os.environ))
            for name, value in SMALL_ADDRESS_SPACE_ENV.items():
                env.setdefault(name, value)
            kernel_id: str = await super().start_kernel(preexec_fn=limit_memory, **kwargs)
            return kernel_id

    return MemoryLimitedKernelManager


GZIP_CACHE_BYTES = 64 * 2**20
"""The most compressed responses the server keeps, in bytes (a page's files take about 1.4 MB)."""


def _validator(headers: HTTPHeaders) -> str:
    """What identifies a response's content: its Etag, else its file's date and length, else ""."""
    modified, length = headers.get("Last-Modified"), headers.get("Content-Length")
    return headers.get("Etag") or (f"{modified}; {length}" if modified and length else "")


URL_PATH_SAFE = "/:@!$&'()*+,;="
"""Characters a browser leaves as they are in a URL's path (RFC 3986 pchar): the cache's key."""


async def compress_static_files(base_url: str, folders: Mapping[str, Iterable[str]]) -> None:
    """Fetch every compressible static file from this server once, so its gzip cache has them.

    ``folders`` maps a URL prefix under ``base_url`` ("voila/static/") to the folders it serves.
    Run before a lesson: otherwise the class's first pages arrive together, each compressing
    the same files again before any has finished.
    """
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
    from tornado.web import GZipContentEncoding

    urls: set[str] = set()
    for prefix, roots in folders.items():
        for root in map(Path, roots):
            try:
                paths = sorted(root.rglob("*")) if root.is_dir() else []
            except OSError:  # a folder this user may not read: its files are not served either
                continue
            for path in paths:
                kind = mimetypes.guess_type(path.name)[0] or ""
                relative = path.relative_to(root).as_posix()
                if (
                    path.is_file()
                    and not relative.endswith(".map")
                    and (kind.startswith("text/") or kind in GZipContentEncoding.CONTENT_TYPES)
                ):
                    urls.add(base_url + prefix + quote(relative, safe=URL_PATH_SAFE))
    client = AsyncHTTPClient()
    for url in sorted(urls):
        request = HTTPRequest(url, headers={"Accept-Encoding": "gzip"}, decompress_response=False)
        try:
            await client.fetch(request)
        except (HTTPClientError, OSError):
            continue  # a file the server refuses (a hidden one): no page asks for it


@functools.cache
def gzip_once_transform() -> type:
    """Tornado's gzip transform, compressing each file's content only once.

    Every first visit fetches the same 91 files (4.9 MB, 1.4 MB gzipped), and tornado compresses
    each response anew: about a third of the server's time per page, on the one core a class's
    arrival queues for. A 200 response to a GET is compressed once and kept, keyed by its path
    and validator, up to GZIP_CACHE_BYTES in all; the same response later is sent from the
    cache. The validator is the ``Etag`` (a static file's content hash, or the hash of a whole
    body), else a file's ``Last-Modified`` and ``Content-Length``, as web servers make an Etag:
    jupyter_server's handler for the widget libraries (``/voila/labextensions/``) sends none.
    """
    from tornado.httputil import HTTPServerRequest
    from tornado.web import GZipContentEncoding

    compressed: dict[tuple[str, str], bytes] = {}

    class GZipOnce(GZipContentEncoding):
        """Sends a response compressed earlier from the cache; keeps a new one as it goes."""

        def __init__(self, request: HTTPServerRequest) -> None:
            super().__init__(request)
            self._path = request.path
            self._get = request.method == "GET"
            self._key: tuple[str, str] | None = None
            self._cached = False
            self._parts: list[bytes] = []

        def transform_first_chunk(
            self, status_code: int, headers: HTTPHeaders, chunk: bytes, finishing: bool
        ) -> tuple[int, HTTPHeaders, bytes]:
            validator = _validator(headers)
            if self._gzipping and self._get and status_code == 200 and validator:
                self._key = (self._path, validator)
                body = compressed.get(self._key)
                if body is not None and "Content-Encoding" not in headers:
                    self._cached = True
                    headers["Vary"] = ", ".join(
                        filter(None, [headers.get("Vary"), "Accept-Encoding"])
                    )
                    headers["Content-Encoding"] = "gzip"
                    headers["Content-Length"] = str(len(body))
                    return status_code, headers, body
            # tornado compresses the first chunk through transform_chunk, which keeps it
            return super().transform_first_chunk(status_code, headers, chunk, finishing)

        def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
            if self._cached:
                return b""  # the whole body went with the first chunk
            chunk = super().transform_chunk(chunk, finishing)
            self._keep(chunk, finishing)
            return chunk

        def _keep(self, chunk: bytes, finishing: bool) -> None:
            if self._key is None or not self._gzipping:
                return
            self._parts.append(chunk)
            if finishing:
                body = b"".join(self._parts)
                if sum(map(len, compressed.values())) + len(body) <= GZIP_CACHE_BYTES:
                    compressed[self._key] = body

    return GZipOnce


def tls_context(options: ServeOptions) -> ssl.SSLContext | None:
    """The TLS settings for --certfile/--keyfile (None without them), checked now."""
    if options.certfile is None:
        if options.keyfile is not None:
            raise InputError("--keyfile", "--certfile with it", "--keyfile alone")
        return None
    # A preheated kernel learns its page (and so its learner) over Voila's plain ws://
    # request socket, which HTTPS closes: every page would share one anonymous learner.
    if options.preheat_kernels:
        raise InputError(
            "--preheat-kernels",
            "0 with --certfile (preheated kernels cannot learn who their page is for over HTTPS)",
            str(options.preheat_kernels),
        )
    if options.class_size:
        raise InputError(
            "--class-size",
            "0 with --certfile (a class pool's kernels cannot learn who their page is for over "
            "HTTPS; serve over HTTP behind an HTTPS proxy on this computer instead)",
            str(options.class_size),
        )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(options.certfile, options.keyfile)
    except (OSError, ssl.SSLError) as error:
        reason = getattr(error, "strerror", None) or getattr(error, "reason", None) or error
        given = f"{options.certfile}" + (f" and {options.keyfile}" if options.keyfile else "")
        raise InputError(
            "--certfile/--keyfile", "a PEM certificate and its private key", f"{given} ({reason})"
        ) from None
    return context


def voila_config(options: ServeOptions, folder: Path) -> Any:
    """The whole Voila configuration of ``serve``, as a traitlets Config."""
    import logging

    from traitlets.config import Config

    config = Config()
    config.Voila.ip = options.host
    config.Voila.port = options.port
    config.Voila.port_retries = 0  # the port asked for, or a clear error; never another one
    config.Voila.root_dir = str(folder)
    config.Voila.config_file_paths = []  # no voila.json from the current folder or ~/.jupyter
    config.Voila.open_browser = True  # Voila calls launch_browser once listening: we announce
    config.Voila.log_level = logging.INFO if options.verbose else logging.WARNING
    config.Voila.tornado_settings = {
        "jinja_template_vars": {"backspasm_apps": landing_entries(folder)},
        # gzip text, scripts and styles: a first page load drops from about 5.0 MB to 1.4 MB
        # (benchmarks/bench_transfer.py), which a class sharing one network link feels.
        "compress_response": True,
        # A page's message to its kernel (a file upload is one): a bigger one closes the socket.
        "websocket_max_message_size": MAX_WEBSOCKET_MESSAGE_BYTES,
    }
    config.VoilaConfiguration.strip_sources = True
    config.VoilaConfiguration.show_tracebacks = False
    config.VoilaConfiguration.template = "lab"
    config.VoilaConfiguration.allow_template_override = "NO"
    config.VoilaConfiguration.classic_tree = True  # the Jinja tree, which our tree.html replaces
    # Preheated kernels have run their notebook before a page asks: faster pages for a class
    # that arrives at once, for the memory of N idle kernels per app (the dashboard has none).
    config.VoilaConfiguration.preheat_kernel = options.preheat_kernels > 0 or options.class_size > 0
    config.VoilaConfiguration.default_pool_size = options.preheat_kernels
    config.VoilaKernelManager.preheat_denylist = [f"{DASHBOARD}.ipynb"]
    if options.class_size:
        # The class's pools start empty here: ClassPool fills and refills them at its own pace,
        # where Voila would start every kernel at once and replace each as soon as it is taken.
        config.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": options.preheat_kernels},
            **{notebook: {"pool_size": 0} for notebook in class_notebooks(options)},
        }
    config.VoilaConfiguration.extension_allowlist = list(LAB_EXTENSIONS)
    # Set by learner_pages on every page (never as a browser sent them); the instructor key
    # only on the class results page, once checked.
    config.VoilaConfiguration.http_header_envs = [
        BROWSER_HEADER,
        SIGNED_LEARNER_HEADER,
        INSTRUCTOR_KEY_HEADER,
    ]
    if options.kernel_memory_limit and os.name == "posix":
        config.VoilaConfiguration.multi_kernel_manager_class = kernel_manager_class(
            options.kernel_memory_limit
        )
    config.VoilaExecutor.timeout = CELL_TIMEOUT
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = [REMOVE_TAG]
    config.MappingKernelManager.cull_idle_timeout = options.cull_idle_timeout
    config.MappingKernelManager.cull_interval = options.cull_interval
    config.MappingKernelManager.cull_connected = False  # an open page keeps its kernel
    if os.name == "posix":
        # Unix sockets in Voila's private temporary folder rather than TCP ports that any
        # local user can reach (ipykernel warns about unencrypted TCP on every page load).
        config.KernelManager.transport = "ipc"
    return config


def _network_address() -> str:
    """The address of this machine on its network, for the link to give a class."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent
            address: str = probe.getsockname()[0]
            return address
    except OSError:
        return socket.gethostname()


def _announce(
    options: ServeOptions, folder: Path, out: TextIO, instructor_key: str, scheme: str
) -> str:
    """Print where the apps are served; returns the URL to open on this machine."""
    everywhere = options.host in ("0.0.0.0", "::", "")
    local_host = "127.0.0.1" if everywhere else options.host
    if ":" in local_host:
        local_host = f"[{local_host}]"
    url = f"{scheme}://{local_host}:{options.port}/"
    count = len(list(folder.glob("*.ipynb")))
    out.write(f"Serving {count} apps from {folder}\n")
    out.write(f"Open {url}\n")
    if everywhere:
        out.write(
            f"Students on your network open {scheme}://{_network_address()}:{options.port}/ "
            "(no password: anyone who can reach this machine can use the apps)\n"
        )
    else:
        out.write("Only this computer can open it; --host 0.0.0.0 shares it with your network.\n")
    out.write(f"Progress is saved in {shown_location(os.environ[PROGRESS_ENV])}\n")
    if (folder / f"{DASHBOARD}.ipynb").exists():
        out.write(
            f"Class results (instructor only, keep this link private): {url}voila/render/"
            f"{DASHBOARD}.ipynb?{urlencode({'key': instructor_key})}\n"
        )
    if options.class_names:
        names = options.class_names
        out.write(f"Each learner's own link ({len(names)}; give each only to its learner):\n")
        for name, link in class_links(url, names, os.environ[PROGRESS_ENV]):
            out.write(f"  {name}\t{link}\n")
    else:
        out.write(
            "Learners without a link of their own keep their progress in their browser; "
            "--class-list FILE prints a private link for each learner.\n"
        )
    if options.preheat_kernels:
        out.write(
            f"{options.preheat_kernels} preheated kernel(s) per app wait for pages "
            "(the class results page starts its own).\n"
        )
    if options.class_size:
        apps = [notebook.removesuffix(".ipynb") for notebook in class_notebooks(options)]
        out.write(
            f"Class pool: {options.class_size} kernel(s) kept ready for each of "
            f"{', '.join(apps)}; let the class in once the pool is ready. Kernels taken are "
            f"replaced one at a time once pages have stopped arriving and loading for "
            f"{REFILL_CALM_SECONDS:g} s.\n"
        )
    out.write(
        f"At most {options.max_kernels} kernels at once (one per open page); each device may "
        + (
            f"open {options.pages_per_minute} pages a minute.\n"
            if options.pages_per_minute
            else "open any number of pages.\n"
        )
    )
    if options.cull_idle_timeout > 0:
        out.write(
            f"A closed page's kernel stops after {options.cull_idle_timeout} s idle, one whose "
            f"page never connected after {options.cull_unconnected_timeout} s. "
            "Press Ctrl+C to stop the server.\n"
        )
    else:
        out.write("Kernels are never culled (--cull-idle-timeout 0). Press Ctrl+C to stop.\n")
    out.flush()
    return url


def progress_location(given: str | os.PathLike[str] | None = None) -> Path | str:
    """The progress store the apps will use, opened once now so a bad store stops the start.

    A file's path comes back resolved, a ``postgresql://`` URL as given. Raises ProgressError
    (a one-line message naming the store, never its password) for a file that is not a
    progress store, one damaged inside (SQLite's quick_check) or a database that cannot be
    reached; such a store is never written to.
    """
    location = store_location(given or os.environ.get(PROGRESS_ENV) or Path.cwd())
    if isinstance(location, Path):
        location = location.resolve()
    # ProgressStore.__new__ opens the kind of store the location names.
    with ProgressStore(location) as store:  # type: ignore[abstract]
        store.check_integrity()
    course_secret(location)  # made now, so a store that cannot hold it stops the start
    return location


def _restart_idle_clock_on_hand_out(manager: Any) -> None:
    """Count a preheated kernel as active from the moment Voila gives it to a page.

    A kernel can wait in the pool for longer than the cull timeout; Voila protects it from the
    culler only while it is in the pool, so one handed out could be culled in the second before
    its page connects, leaving a student with a dead page.
    """
    from datetime import datetime

    hand_out = manager.get_rendered_notebook

    async def get_rendered_notebook(*args: Any, **kwargs: Any) -> Any:
        render_task, rendered_cells, kernel_id = await hand_out(*args, **kwargs)
        manager.get_kernel(kernel_id).last_activity = datetime.now(UTC)
        return render_task, rendered_cells, kernel_id

    manager.get_rendered_notebook = get_rendered_notebook


def _waiting_in_pool(manager: Any, kernel_id: str) -> bool:
    """Whether a preheated kernel still waits in Voila's pool (no page has asked for it yet).

    Voila 0.5 keeps the pool in ``VoilaKernelManager._pools``: per notebook, tasks whose result
    names their kernel, as its own ``cull_kernel_if_idle`` reads it.
    """
    return any(
        task.done()
        and not task.cancelled()
        and task.exception() is None
        and task.result().get("kernel_id") == kernel_id
        for pool in getattr(manager, "_pools", {}).values()
        for task in pool
    )


def _cull_never_connected(manager: Any, timeout: int) -> None:
    """Shut down a kernel whose page never connected once it has been idle ``timeout`` seconds.

    A plain GET of an app page (a script, a crawler, a page closed while loading) starts and
    runs a kernel that no browser ever talks to; the ordinary idle timeout would keep it for
    minutes. A kernel that has had a connection, even one since closed, is left to the ordinary
    culler; so is a preheated kernel waiting in its pool.
    """
    ever_connected: set[str] = set()
    notify_connect = manager.notify_connect

    def notice_connection(kernel_id: str) -> None:
        ever_connected.intersection_update(manager.list_kernel_ids())
        ever_connected.add(kernel_id)
        notify_connect(kernel_id)

    cull_if_idle = manager.cull_kernel_if_idle

    async def cull_kernel_if_idle(kernel_id: str) -> Any:
        kernel = manager.get_kernel(kernel_id)
        idle = datetime.now(UTC) - kernel.last_activity
        if (
            kernel_id not in ever_connected
            and idle.total_seconds() > timeout
            and getattr(kernel, "execution_state", None) != "busy"
            and not _waiting_in_pool(manager, kernel_id)
        ):
            manager.log.warning(
                "Culling kernel %s: its page never connected in %d s", kernel_id, timeout
            )
            await manager.shutdown_kernel(kernel_id)
            return None
        return await cull_if_idle(kernel_id)

    manager.notify_connect = notice_connection
    manager.cull_kernel_if_idle = cull_kernel_if_idle


def _leave_starting_kernels_to_start(manager: Any) -> None:
    """Let the culler pass over a kernel that has not yet recorded any activity.

    A kernel only gets its ``last_activity`` once it has started; the culler of jupyter_server
    2.x checks for it with ``hasattr``, which raises a TraitError (and logs a traceback) for a
    kernel caught in that first moment, as happens when a culling pass meets a pool refilling.
    Such a kernel is not idle: it is skipped until the next pass.
    """
    cull_if_idle = manager.cull_kernel_if_idle

    async def cull_kernel_if_idle(kernel_id: str) -> Any:
        kernel = manager.get_kernel(kernel_id)
        if not kernel.trait_has_value("last_activity") or kernel.last_activity is None:
            return None
        return await cull_if_idle(kernel_id)

    manager.cull_kernel_if_idle = cull_kernel_if_idle


def _memory_in_use_gib(pids: Iterable[int]) -> float | None:
    """The memory these processes hold (their PSS: shared pages split among their users).

    None where /proc/PID/smaps_rollup cannot be read (not Linux).
    """
    total_kib = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
        except OSError:
            if pid == os.getpid():
                return None
            continue  # a kernel that stopped while we looked
        total_kib += sum(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
        )
    return total_kib / 2**20


class ClassPool:
    """Keeps a kernel ready per student for the class's apps, out of the class's way.

    Voila fills a pool with all its kernels at once and starts a new kernel a second after a
    page takes one, so a class arriving together waits behind its own refills. The class's
    pools start empty in Voila's configuration (``kernel_pools_config``); this fills them
    before the lesson, as many kernels at a time as the machine has cores, printing a progress
    line, then refills one kernel at a time, only once no page has arrived for
    REFILL_CALM_SECONDS and the server has been calm as long (the pages that arrived have
    loaded), and only while a place stays free under --max-kernels (pooled kernels count as
    live ones).
    """

    def __init__(
        self,
        manager: Any,
        sizes: Mapping[str, int],
        admission: PageAdmission,
        out: TextIO,
        parallel: int | None = None,
    ) -> None:
        self.manager = manager
        self.sizes = dict(sizes)
        self.admission = admission
        self.out = out
        self.parallel = parallel or os.cpu_count() or 1
        self.last_arrival = float("-inf")
        self.closing = False
        self._server_cpu: collections.deque[tuple[float, float]] = collections.deque()
        """(wall, CPU seconds of this process) at each refill check, the last few seconds'."""
        self.lesson_ready = False
        """Set once the pools were first full: from then on only refills, calmly."""
        self.prepare: Callable[[], Awaitable[object]] | None = None
        """Other work for before the lesson, done before the kernels start (the pages' files)."""
        self._voila_fill = manager.fill_if_needed
        self._shown = ""
        self._watch_arrivals_and_shutdown()

    def _watch_arrivals_and_shutdown(self) -> None:
        """Note every page's arrival; Voila's own filling is left to the other apps' pools."""
        manager = self.manager

        def fill_if_needed(
            delay: float | None = None, notebook_name: str | None = None, **kw: Any
        ) -> None:
            if notebook_name not in self.sizes:
                self._voila_fill(delay=delay, notebook_name=notebook_name, **kw)
            elif delay is None:  # Voila's refill as a page takes a pooled kernel
                self.last_arrival = time.monotonic()

        start_kernel = manager.start_kernel

        async def start_page_kernel(**kwargs: Any) -> Any:
            self.last_arrival = time.monotonic()  # a page with no pooled kernel for it
            return await start_kernel(**kwargs)

        shutdown_all = manager.shutdown_all

        async def shutdown_everything(*args: Any, **kwargs: Any) -> Any:
            self.closing = True
            return await shutdown_all(*args, **kwargs)

        manager.fill_if_needed = fill_if_needed
        manager.start_kernel = start_page_kernel
        manager.shutdown_all = shutdown_everything

    def _pool(self, notebook: str) -> list[Any]:
        pools: dict[str, list[Any]] = self.manager._pools
        return pools.setdefault(notebook, [])

    def wanted(self) -> int:
        return sum(self.sizes.values())

    @staticmethod
    def _has_run(content: Mapping[str, Any]) -> bool:
        """Whether a pooled kernel has run its notebook as far as it goes without a page.

        An app that shows a learner's own page stops at the cell that waits for Voila's
        request-info socket to name the page; one that does not finishes its notebook.
        """
        from voila.request_info_handler import RequestInfoSocketHandler

        waiting: Mapping[str, Any] = RequestInfoSocketHandler._waiters
        return bool(content["task"].done() or content["kernel_id"] in waiting)

    def ready(self) -> int:
        """Pooled kernels that have started and run their notebook."""
        count = 0
        for notebook, size in self.sizes.items():
            started = [
                task.result()
                for task in self._pool(notebook)
                if task.done() and not task.cancelled() and task.exception() is None
            ]
            count += min(size, sum(1 for content in started if self._has_run(content)))
        return count

    def _missing(self, most: int) -> list[str]:
        """Up to ``most`` notebooks to start a pooled kernel for (one per kernel missing)."""
        missing = []
        for notebook, size in self.sizes.items():
            missing += [notebook] * (size - len(self._pool(notebook)))
        return missing[:most]

    def _has_room(self) -> bool:
        """Whether a pooled kernel more still leaves a place under the cap for a new page."""
        return self.admission.has_room(len(self.manager.list_kernel_ids()) + 1)

    async def _start(self, notebook: str) -> bool:
        """Start one pooled kernel through Voila and wait until it has run its notebook."""
        pool = self._pool(notebook)
        self.manager.kernel_pools_config[notebook] = {"pool_size": len(pool) + 1}
        self._voila_fill(delay=0, notebook_name=notebook)
        task = pool[-1]
        try:
            content = await task
            while not self._has_run(content) and not self.closing:
                await asyncio.sleep(READY_CHECK_SECONDS)
        except Exception as error:  # a kernel that fails to start must not stop the pool
            self.manager.log.warning("class pool: a kernel for %s failed: %s", notebook, error)
            if task in pool:
                pool.remove(task)
            return False
        if not self.lesson_ready:
            self.show()
            # Full once: from now on a page taking a kernel waits for calm to be replaced.
            self.lesson_ready = self.ready() >= self.wanted()
        return True

    async def _fill(self, most: int) -> int:
        """Start up to ``most`` missing kernels at once; how many came up ready."""
        missing = [] if self.closing or not self._has_room() else self._missing(most)
        started = await asyncio.gather(*(self._start(notebook) for notebook in missing))
        return sum(started)

    def show(self, final: bool = False) -> None:
        """Print how many pooled kernels are ready and the memory in use (one updating line)."""
        kernels = self.manager.list_kernel_ids()
        pids = [os.getpid()]
        for kernel_id in kernels:
            provisioner = getattr(self.manager.get_kernel(kernel_id), "provisioner", None)
            pid = getattr(provisioner, "pid", None)
            if isinstance(pid, int):
                pids.append(pid)
        gib = _memory_in_use_gib(pids)
        line = f"class pool ready: {self.ready()}/{self.wanted()}"
        line += "" if gib is None else f", {gib:.1f} GiB in use"
        tty = self.out.isatty()
        if line == self._shown and not (final and tty):
            return
        self._shown = line
        self.out.write(("\r" + line + ("\n" if final else "")) if tty else line + "\n")
        self.out.flush()

    def calm(self) -> bool:
        """Whether no page has arrived for REFILL_CALM_SECONDS and the server was calm as long.

        Pages stop arriving seconds before the last of them has loaded (its files, websockets
        and the rest of its notebook all pass through this server): a refill waits for both.
        """
        now = time.monotonic()
        self._server_cpu.append((now, time.process_time()))
        while now - self._server_cpu[0][0] > REFILL_CALM_SECONDS + REFILL_CHECK_SECONDS:
            self._server_cpu.popleft()
        (first, first_cpu), (last, last_cpu) = self._server_cpu[0], self._server_cpu[-1]
        return (
            now - self.last_arrival >= REFILL_CALM_SECONDS
            and last - first >= REFILL_CALM_SECONDS
            and (last_cpu - first_cpu) / (last - first) < CALM_SERVER_SHARE
        )

    async def keep(self) -> None:
        """Prepare and fill the pools before the lesson, then refill them calmly until the end."""
        if self.prepare is not None:
            await self.prepare()
        while not (self.closing or self.lesson_ready) and self._missing(1) and self._has_room():
            if not await self._fill(self.parallel):
                await asyncio.sleep(REFILL_CALM_SECONDS)  # a failing kernel: do not spin
        self.lesson_ready = True
        self.show(final=True)
        while not self.closing:
            await asyncio.sleep(REFILL_CHECK_SECONDS)
            if not self.calm():
                continue
            if self._missing(1) and self._has_room():
                self.show()  # how far the class emptied it
                await self._fill(1)
                self.show(final=not self._missing(1))


def _warn(options: ServeOptions, err: TextIO) -> None:
    """Print a warning line for a key given on the command line and for a network without TLS."""
    if options.instructor_key and options.instructor_key_file is None:
        print(
            "backspasm-edu serve: warning: --instructor-key can be read by anyone on this "
            f"computer (ps); give it in ${INSTRUCTOR_KEY_ENV} or --instructor-key-file instead",
            file=err,
        )
    if not _is_loopback(options.host) and options.certfile is None:
        print(
            f"backspasm-edu serve: warning: --host {options.host} without --certfile: names, "
            "answers and the instructor key cross the network unencrypted; add --certfile and "
            "--keyfile, or serve behind an HTTPS proxy on this computer",
            file=err,
        )


def serve(options: ServeOptions, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run Voila over the app notebooks until stopped; returns the exit code.

    Checks the port, the TLS files and the progress store first (errors naming the problem),
    and sets, for every kernel to inherit: $BACKSPASM_EDU_CONTENT to ``options.content`` and
    $BACKSPASM_EDU_PROGRESS to the store (``options.progress``, else the variable, else
    backspasm-progress.sqlite in the folder serve was started from: never inside the installed
    package). The instructor key (``options.instructor_key``, else the variable, else a new
    random one) is taken out of the environment: only the class results page's kernel gets it,
    once the page handler has checked the page's key.
    """
    check_port(options.host, options.port)
    tls = tls_context(options)
    folder = notebooks_dir()
    if options.max_kernels is None:  # room for pages beside the preheated kernels asked for
        memory_holds = default_max_kernels()
        if options.class_size and _preheated_kernels(options) + MIN_MAX_KERNELS > memory_holds:
            raise InputError(
                "--class-size",
                f"a class pool this machine's free memory holds (about {memory_holds} kernels "
                f"with {MIN_MAX_KERNELS} places for other pages; name the apps the lesson opens "
                "with --app, or give --max-kernels to go ahead)",
                f"{options.class_size} for each of {len(class_notebooks(options))} apps",
            )
        fits = max(memory_holds, _preheated_kernels(options) + MIN_MAX_KERNELS)
        options = replace(options, max_kernels=fits)
    if options.content is not None:
        os.environ[CONTENT_ENV] = str(options.content)  # every kernel inherits it
    os.environ[PROGRESS_ENV] = str(progress_location(options.progress))
    _warn(options, err)
    instructor_key = (
        options.instructor_key or os.environ.get(INSTRUCTOR_KEY_ENV) or secrets.token_urlsafe(16)
    )
    os.environ.pop(INSTRUCTOR_KEY_ENV, None)  # no learner's kernel may inherit it
    admission = PageAdmission(options.max_kernels or MIN_MAX_KERNELS, options.pages_per_minute)
    from voila.app import Voila

    class ServeApp(Voila):  # type: ignore[misc]  # voila ships no type information
        """Voila with our landing page first on the template path and our own announcement."""

        def setup_template_dirs(self) -> None:
            super().setup_template_dirs()
            self.template_paths.insert(0, str(TEMPLATES))

        def init_settings(self) -> dict[str, Any]:
            # Voila 0.5 applies tornado_settings after creating the tornado Application, too
            # late for compress_response, which tornado reads only when it is created.
            settings: dict[str, Any] = super().init_settings()
            settings["compress_response"] = self.tornado_settings.get("compress_response", False)
            if settings["compress_response"]:
                settings["transforms"] = [gzip_once_transform()]
            # The course secret signs each browser's id cookie and checks class links; kept
            # beside the store, so both outlive a restart of the server.
            secret = course_secret(os.environ[PROGRESS_ENV])
            settings[SECRET_SETTING] = secret
            settings["cookie_secret"] = hashlib.sha256(b"cookies:" + secret).digest()
            settings[INSTRUCTOR_KEY_SETTING] = instructor_key
            settings[DASHBOARD_SETTING] = folder / f"{DASHBOARD}.ipynb"
            settings[ADMISSION_SETTING] = admission
            _cull_never_connected(self.kernel_manager, options.cull_unconnected_timeout)
            _leave_starting_kernels_to_start(self.kernel_manager)
            if self.voila_configuration.preheat_kernel:
                _restart_idle_clock_on_hand_out(self.kernel_manager)
            if options.class_size:
                from tornado.ioloop import IOLoop

                sizes = dict.fromkeys(class_notebooks(options), options.class_size)
                pool = ClassPool(self.kernel_manager, sizes, admission, out)
                if settings["compress_response"]:
                    pool.prepare = functools.partial(
                        compress_static_files,
                        f"http://{_loopback_of(self.ip)}:{self.port}{self.base_url}",
                        {"voila/static/": self.static_paths,
                         "voila/labextensions/": self.labextensions_path},
                    )  # fmt: skip
                IOLoop.current().spawn_callback(pool.keep)
            return settings

        def init_handlers(self) -> list[Any]:
            return with_learner_pages(super().init_handlers())

        def listen(self) -> None:
            # Voila 0.5 calls app.listen(port, ip) with no options for Tornado's HTTP server.
            self.app.listen = functools.partial(
                self.app.listen, max_body_size=MAX_REQUEST_BODY_BYTES, ssl_options=tls
            )
            super().listen()

        def launch_browser(self) -> None:
            url = _announce(options, folder, out, instructor_key, "https" if tls else "http")
            if options.open_browser:
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    app = ServeApp(config=voila_config(options, folder))
    app.initialize([])
    # Voila runs every notebook afresh, so notebook trust (for saved outputs) does not apply:
    # do not warn the instructor about it on every page load.
    app.log.addFilter(lambda record: "is not trusted" not in record.getMessage())
    app.start()
    return 0


def read_instructor_key(path: Path) -> str:
    """The instructor key kept in a file: its first line, without surrounding spaces."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise InputError(
            "--instructor-key-file", "a readable file holding the key", f"{path} ({reason})"
        ) from None
    key = text.strip().split("\n", 1)[0].strip()
    if not key:
        raise InputError(
            "--instructor-key-file", "the key on the file's first line", f"an empty {path}"
        )
    return key


def _loopback_of(host: str) -> str:
    """The address this computer reaches a server on ``host`` by: itself, or loopback for all."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer only (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _pooled_apps() -> list[str]:
    """The apps a page may find a preheated kernel for: every one but the class results page."""
    return sorted(path.stem for path in notebooks_dir().glob("*.ipynb") if path.stem != DASHBOARD)


def class_notebooks(options: ServeOptions) -> list[str]:
    """The notebook files the class pool keeps kernels for (none without --class-size)."""
    if not options.class_size:
        return []
    return [f"{name}.ipynb" for name in options.class_apps or _pooled_apps()]


def _preheated_kernels(options: ServeOptions) -> int:
    """How many kernels the pools hold: --class-size or --preheat-kernels for each app."""
    apps, in_class = len(_pooled_apps()), len(class_notebooks(options))
    return options.class_size * in_class + options.preheat_kernels * (apps - in_class)


def _check_class_pool(options: ServeOptions) -> ServeOptions:
    """The options with --app names as notebook stems; InputError for a bad class pool."""
    if not 0 <= options.class_size <= MAX_CLASS_SIZE:
        raise InputError(
            "--class-size",
            f"0 (off) to {MAX_CLASS_SIZE} kernels per app, one per student",
            str(options.class_size),
        )
    if options.class_apps and not options.class_size:
        raise InputError("--app", "--class-size with it", f"--app {options.class_apps[0]} alone")
    apps = _pooled_apps()
    names = []
    for given in options.class_apps:
        name = given.removesuffix(".ipynb")
        if name not in apps:
            raise InputError("--app", f"one of {', '.join(apps)}", repr(given))
        names.append(name)
    return replace(options, class_apps=tuple(dict.fromkeys(names)))


def _check_limits(options: ServeOptions) -> None:
    """Raise InputError naming the first limit option out of range."""
    if options.cull_unconnected_timeout < 1:
        raise InputError(
            "--cull-unconnected-timeout", "1 or more seconds", str(options.cull_unconnected_timeout)
        )
    if options.pages_per_minute < 0:
        raise InputError(
            "--pages-per-minute", "0 (no limit) or more pages", str(options.pages_per_minute)
        )
    if options.kernel_memory_limit and options.kernel_memory_limit < MIN_KERNEL_MEMORY_LIMIT_MIB:
        raise InputError(
            "--kernel-memory-limit",
            f"0 (no limit) or at least {MIN_KERNEL_MEMORY_LIMIT_MIB} MiB",
            str(options.kernel_memory_limit),
        )
    if options.max_kernels is not None:
        preheated = _preheated_kernels(options)
        if options.max_kernels < max(1, preheated + 1):
            raise InputError(
                "--max-kernels",
                f"more than the {preheated} preheated kernels" if preheated else "1 or more",
                str(options.max_kernels),
            )


def run(options: ServeOptions, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Check the options and the content folder, then serve; 2 with every problem if invalid."""
    if options.cull_idle_timeout < 0:
        raise InputError(
            "--cull-idle-timeout", "0 (never) or more seconds", str(options.cull_idle_timeout)
        )
    if options.cull_interval < 1:
        raise InputError("--cull-interval", "1 or more seconds", str(options.cull_interval))
    if not 0 <= options.preheat_kernels <= MAX_PREHEAT_KERNELS:
        raise InputError(
            "--preheat-kernels",
            f"0 (off) to {MAX_PREHEAT_KERNELS} kernels per app",
            str(options.preheat_kernels),
        )
    options = _check_class_pool(options)
    _check_limits(options)
    if options.instructor_key_file is not None:
        options = replace(options, instructor_key=read_instructor_key(options.instructor_key_file))
    if options.class_list is not None:
        options = replace(options, class_names=tuple(read_class_list(options.class_list)))
    content = options.content
    given = "--content"
    if content is None and os.environ.get(CONTENT_ENV):
        content, given = Path(os.environ[CONTENT_ENV]), f"${CONTENT_ENV}"
    if content is not None:
        folder, problems = check_content(content)
        if problems:
            for problem in problems:
                print(problem, file=err)
            print(
                f"backspasm-edu serve: error: {given} {content}: {len(problems)} problem(s); "
                "fix them (backspasm-edu validate DIR lists them) or serve without it",
                file=err,
            )
            return 2
        options = replace(options, content=folder)
    return serve(options, out, err)
