"""One simulated student of the quiz app: Voila's page, static files and kernel websocket."""

from __future__ import annotations

import asyncio
import json
import random
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.netutil import DefaultLoopResolver, is_valid_ip
from tornado.websocket import WebSocketClientConnection, websocket_connect

WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
"""The kernel websocket protocol JupyterLab's services (and so Voila's page) negotiate."""
CONTROL_TARGET = "jupyter.widget.control"
CONTROL_VERSION = "1.0.0"
BROWSER_CONNECTIONS = 6
"""Chromium's limit of parallel HTTP/1.1 connections to one host."""
KERNEL_ID_PLACEHOLDER = "{kernel_id}"
PAGE_CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S
)
VERDICT = re.compile(r'<span aria-hidden="true">(.)</span>')
"""The symbol a feedback box starts with: ✓ right, ✗ not quite, ◐ partly, ⚠ a problem."""
ANSWER_MODELS = {"RadioButtonsModel", "CheckboxModel", "DropdownModel", "TextModel"}
NAME_LABEL = "Your name (optional)"
START_LABEL = "Start quiz"
NEXT_LABELS = {"Next question", "See your results"}
STEP_TIMEOUT = 120.0
"""Seconds one kernel request may take before the student gives up (counted as not finished)."""


@dataclass
class StudentResult:
    """What one student saw, in seconds from their arrival (their first request)."""

    learner: str
    kernel_id: str = ""
    arrival: float = float("nan")
    """When the first request left (time.monotonic())."""
    first_byte: float = float("nan")
    html_done: float = float("nan")
    static_done: float = float("nan")
    interactive: float = float("nan")
    name_delay: float = float("nan")
    name_typed: bool = False
    finished_at: float = float("nan")
    static_bytes: int = 0
    feedback: list[float] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    questions_done: int = 0
    error: str = ""


class NumericAddressResolver(DefaultLoopResolver):
    """Takes a numeric address (the server's 127.0.0.1) as it is.

    Tornado's default resolver asks getaddrinfo in a thread for every connection, even for
    127.0.0.1: about a tenth of this script's CPU, taken from the server it shares cores with.
    """

    async def resolve(
        self, host: str, port: int, family: socket.AddressFamily = socket.AF_UNSPEC
    ) -> list[tuple[int, Any]]:
        if not is_valid_ip(host):
            return await super().resolve(host, port, family)
        return [(socket.AF_INET6 if ":" in host else socket.AF_INET, (host, port))]


def http_client() -> AsyncHTTPClient:
    """A client with no queue of its own, so every student's requests reach the server at once."""
    AsyncHTTPClient.configure(None, max_clients=10_000, resolver=NumericAddressResolver())
    return AsyncHTTPClient()


def kernel_message(
    session: str, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
) -> tuple[str, bytes]:
    """A shell message as the page sends it: its id and its v1 websocket frame."""
    msg_id = uuid.uuid4().hex
    header = {
        "msg_id": msg_id,
        "msg_type": msg_type,
        "username": "",
        "session": session,
        "date": datetime.now(UTC).isoformat(),
        "version": "5.2",
    }
    message = {
        "header": header,
        "parent_header": {},
        "metadata": metadata or {},
        "content": content,
    }
    return msg_id, serialize_msg_to_ws_v1(message, "shell", lambda part: json.dumps(part).encode())


class WidgetPage:
    """The widget side of one open page: the models the kernel holds, kept up to date."""

    def __init__(self, websocket: WebSocketClientConnection, session: str) -> None:
        self.websocket = websocket
        self.session = session
        self.models: dict[str, dict[str, Any]] = {}
        self.value_arrived: dict[str, float] = {}
        """Model id: when the kernel's last change of its ``value`` arrived (monotonic)."""
        self._idle: dict[str, asyncio.Future[None]] = {}
        self._changed = asyncio.Event()
        self.closed = False
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        while (frame := await self.websocket.read_message()) is not None:
            if isinstance(frame, bytes):
                self._dispatch(*deserialize_msg_from_ws_v1(frame))
        self.closed = True
        for waiter in self._idle.values():
            if not waiter.done():
                waiter.set_exception(ConnectionError("the kernel websocket closed"))
        self._changed.set()

    def _dispatch(self, channel: str, parts: list[bytes]) -> None:
        header, parent = json.loads(parts[0]), json.loads(parts[1])
        if channel != "iopub":
            return
        content = json.loads(parts[3])
        kind = header["msg_type"]
        if kind == "status" and content["execution_state"] == "idle":
            waiter = self._idle.pop(parent.get("msg_id", ""), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
        elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.models[content["comm_id"]] = dict(content["data"]["state"])
        elif kind == "comm_close":
            self.models.pop(content["comm_id"], None)
        elif kind == "comm_msg":
            data = content["data"]
            if data.get("method") == "update_states":
                for model_id, model in data["states"].items():
                    self.models[model_id] = {**model["state"], "_model_name": model["model_name"]}
            elif data.get("method") in ("update", "echo_update"):
                self.models.setdefault(content["comm_id"], {}).update(data["state"])
                if "value" in data["state"]:
                    self.value_arrived[content["comm_id"]] = time.monotonic()
        self._changed.set()
        self._changed = asyncio.Event()

    async def request(
        self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
    ) -> float:
        """Send a shell message and wait until the kernel has handled it; returns when sent."""
        msg_id, frame = kernel_message(self.session, msg_type, content, metadata)
        waiter = asyncio.get_running_loop().create_future()
        self._idle[msg_id] = waiter
        sent = time.monotonic()
        await self.websocket.write_message(frame, binary=True)
        await asyncio.wait_for(waiter, STEP_TIMEOUT)
        return sent

    async def widget_message(self, model_id: str, data: dict[str, Any]) -> float:
        """A comm_msg to one widget, as the page sends it; returns when it was sent."""
        return await self.request("comm_msg", {"comm_id": model_id, "data": data})

    async def update(self, model_id: str, state: dict[str, Any]) -> None:
        """Change a control as the learner would (the page syncs it at once)."""
        self.models[model_id].update(state)
        await self.widget_message(
            model_id, {"method": "update", "state": state, "buffer_paths": []}
        )

    async def click(self, model_id: str) -> float:
        """Press a button; returns when the click was sent."""
        return await self.widget_message(
            model_id, {"method": "custom", "content": {"event": "click"}}
        )

    async def load_states(self) -> None:
        """Fetch every widget's state as Voila's widget manager does, over the control comm."""
        comm_id = uuid.uuid4().hex
        opened = {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}}
        await self.request("comm_open", opened, {"version": CONTROL_VERSION})
        await self.request("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        await self.request("comm_close", {"comm_id": comm_id, "data": {}})

    async def until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``condition()`` holds after some kernel message; False on timeout."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.closed or time.monotonic() >= deadline:
                return False
            try:
                await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
            except TimeoutError:
                return condition()
        return True

    def find(self, model_name: str, description: str | set[str]) -> str | None:
        """The id of the model of that kind with that description (or one of them)."""
        wanted = {description} if isinstance(description, str) else description
        for model_id, state in self.models.items():
            if state.get("_model_name") == model_name and state.get("description") in wanted:
                return model_id
        return None

    def children(self, model_id: str) -> list[str]:
        return [
            child.removeprefix("IPY_MODEL_") for child in self.models[model_id].get("children", [])
        ]

    def parents(self, model_id: str) -> list[str]:
        """The boxes that hold the model (old boxes the kernel replaced but never closed too)."""
        reference = f"IPY_MODEL_{model_id}"
        return [box for box, state in self.models.items() if reference in state.get("children", [])]

    def descendants(self, model_id: str) -> Iterator[str]:
        """Every model shown inside a box, depth first, in page order."""
        for child in self.children(model_id):
            if child in self.models:
                yield child
                if "children" in self.models[child]:
                    yield from self.descendants(child)

    async def close(self) -> None:
        self.websocket.close()
        await asyncio.gather(self._reader, return_exceptions=True)


@dataclass(frozen=True)
class Question:
    """The open question's widgets: the quiz view, its answer controls, Check and Next."""

    view: str
    controls: list[str]
    check: str
    next: str


def current_question(page: WidgetPage) -> Question:
    """The QuizView's widgets, found from the Check button's row, the one the view shows."""
    check = page.find("ButtonModel", "Check")
    for row in page.parents(check) if check else []:
        buttons = {page.models[child].get("description"): child for child in page.children(row)}
        views = page.parents(row)
        if views and NEXT_LABELS & set(buttons):
            next_button = next(buttons[label] for label in NEXT_LABELS if label in buttons)
            controls = [
                model_id
                for model_id in page.descendants(views[0])
                if page.models[model_id].get("_model_name") in ANSWER_MODELS
            ]
            return Question(views[0], controls, buttons["Check"], next_button)
    raise LookupError("no quiz question on the page")


def feedback_since(page: WidgetPage, question: Question, sent: float) -> tuple[float, str]:
    """When the verdict of a Check sent at ``sent`` arrived, and its symbol.

    The feedback box is the quiz view's HTML whose new value, arrived since, shows a verdict.
    """
    for model_id in page.descendants(question.view):
        arrived = page.value_arrived.get(model_id, 0.0)
        verdict = VERDICT.search(str(page.models[model_id].get("value", "")))
        if arrived >= sent and verdict is not None:
            return arrived, verdict.group(1)
    raise RuntimeError("Check gave no feedback")


async def give_answer(page: WidgetPage, question: Question, attempt: int) -> None:
    """Pick a different answer on every attempt, as tests/widgets/test_progress_panel.py does."""
    for place, control in enumerate(question.controls):
        state = page.models[control]
        kind = state["_model_name"]
        if kind == "RadioButtonsModel":
            if place == 0:
                await page.update(control, {"index": attempt % len(state["_options_labels"])})
        elif kind == "CheckboxModel":
            if place == attempt % len(question.controls):
                await page.update(control, {"value": True})
        elif kind == "DropdownModel":  # ordering and matching: rotate by the attempt number
            await page.update(control, {"index": (place + attempt) % len(state["_options_labels"])})
        elif place == 0:  # a Text box: numeric or short text
            await page.update(control, {"value": str(attempt + 1)})


async def fetch_page(
    client: AsyncHTTPClient, url: str, result: StudentResult, started: float
) -> str:
    """The app page's HTML, streamed as Voila renders it; notes first byte and end."""
    chunks: list[bytes] = []

    def received(chunk: bytes) -> None:
        if not chunks:
            result.first_byte = time.monotonic() - started
        chunks.append(chunk)

    await client.fetch(HTTPRequest(url, streaming_callback=received, request_timeout=600))
    result.html_done = time.monotonic() - started
    return b"".join(chunks).decode()


async def fetch_static(client: AsyncHTTPClient, base: str, paths: list[str], kernel_id: str) -> int:
    """Download what a fresh browser fetches after the HTML; returns the bytes received.

    Compressed, as a browser asks for them, and left so: a browser unpacks them on the
    student's own device, not on the server's cores this simulation shares.
    """
    gate = asyncio.Semaphore(BROWSER_CONNECTIONS)
    received = 0

    def count(chunk: bytes) -> None:
        nonlocal received
        received += len(chunk)

    async def one(path: str) -> None:
        async with gate:
            url = base + path.replace(KERNEL_ID_PLACEHOLDER, kernel_id)
            request = HTTPRequest(
                url,
                headers={"Accept-Encoding": "gzip"},
                decompress_response=False,
                streaming_callback=count,
                request_timeout=600,
            )
            await client.fetch(request)

    await asyncio.gather(*(one(path) for path in paths))
    return received


@dataclass(frozen=True)
class Behaviour:
    """What every student does: how many questions, and how long they think before acting."""

    questions: int
    think: tuple[float, float]
    name_wait: float = 30.0
    """Seconds a student waits for their name to appear before typing it themselves."""


class Student:
    """Open the quiz app, wait for it to be usable, start the quiz and answer questions."""

    def __init__(
        self, base: str, page_url: str, learner: str, static_paths: list[str], rng: random.Random
    ) -> None:
        self.base, self.page_url, self.learner = base, page_url, learner
        self.static_paths = static_paths
        self.rng = rng
        self.page: WidgetPage | None = None

    async def open_app(self, client: AsyncHTTPClient, result: StudentResult) -> None:
        """Load the page like a fresh browser; interactive once the Start button's state is in."""
        started = result.arrival
        html = await fetch_page(client, self.page_url, result, started)
        match = PAGE_CONFIG.search(html)
        if match is None:
            raise LookupError("no jupyter-config-data in the page")
        kernel_id = result.kernel_id = json.loads(match.group(1))["kernelId"]
        result.static_bytes = await fetch_static(client, self.base, self.static_paths, kernel_id)
        result.static_done = time.monotonic() - started
        session = str(uuid.uuid4())
        websocket = await websocket_connect(
            f"{self.base.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels"
            f"?session_id={session}",
            subprotocols=[WS_PROTOCOL],
        )
        self.page = WidgetPage(websocket, session)
        await self.page.request("kernel_info_request", {})
        await self.page.load_states()
        if self.page.find("ButtonModel", START_LABEL) is None:
            raise LookupError("no Start quiz button in the widget states")
        result.interactive = time.monotonic() - started

    async def make_sure_of_name(self, behaviour: Behaviour, result: StudentResult) -> None:
        """Wait until ``?learner=`` shows in the name box (later when preheated), else type it."""
        page = self.page
        assert page is not None
        name_box = page.find("TextModel", NAME_LABEL)
        if name_box is None:
            raise LookupError("no name box on the page")
        waited = time.monotonic()
        if await page.until(
            lambda: page.models[name_box].get("value") == self.learner, behaviour.name_wait
        ):
            result.name_delay = time.monotonic() - waited
        else:
            result.name_typed = True
            await page.update(name_box, {"value": self.learner})

    async def answer_questions(self, behaviour: Behaviour, result: StudentResult) -> None:
        page = self.page
        assert page is not None
        start = page.find("ButtonModel", START_LABEL)
        assert start is not None
        await asyncio.sleep(self.rng.uniform(*behaviour.think))
        await page.click(start)
        for _ in range(behaviour.questions):
            question = current_question(page)
            for attempt in range(10):
                await asyncio.sleep(self.rng.uniform(*behaviour.think))
                await give_answer(page, question, attempt)
                sent = await page.click(question.check)
                arrived, verdict = feedback_since(page, question, sent)
                result.feedback.append(arrived - sent)
                result.verdicts.append(verdict)
                if not page.models[question.next].get("disabled", True):
                    break
            else:
                raise RuntimeError("a question stayed open after 10 answers")
            await page.click(question.next)
            result.questions_done += 1

    async def run(
        self, client: AsyncHTTPClient, behaviour: Behaviour, result: StudentResult
    ) -> None:
        """The whole visit; any failure is kept in ``result.error``, never raised."""
        result.arrival = time.monotonic()
        try:
            await self.open_app(client, result)
            if behaviour.questions:
                await self.make_sure_of_name(behaviour, result)
                await self.answer_questions(behaviour, result)
            result.finished_at = time.monotonic() - result.arrival
        except Exception as error:  # a student who fails is reported, and the class goes on
            result.error = f"{type(error).__name__}: {error}"[:200]

    async def leave(self) -> None:
        if self.page is not None:
            await self.page.close()
