"""serve vouches for each page's learner: browser cookies, class link codes, printed class links."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from tornado.httputil import HTTPHeaders

from backspasm_edu.app import learner_pages, serve
from backspasm_edu.progress import code_matches, course_secret
from tests.app.test_serve import free_port, run_cli

SECRET = bytes(range(32))


class FakeHandler:
    """The parts of a Tornado handler vouch_for_learner uses, with a cookie jar of one."""

    def __init__(self, query: dict[str, str], headers: dict[str, str], cookie: bytes | None):
        self.query, self.cookie = query, cookie
        self.request = SimpleNamespace(headers=HTTPHeaders(headers))
        self.settings = {learner_pages.SECRET_SETTING: SECRET}
        self.base_url = "/"
        self.set_cookies: list[tuple[str, str, dict]] = []

    def get_signed_cookie(self, name: str, max_age_days: int) -> bytes | None:
        assert name == "backspasm_browser" and max_age_days == learner_pages.COOKIE_DAYS
        return self.cookie

    def set_signed_cookie(self, name: str, value: str, **options) -> None:
        self.set_cookies.append((name, value, options))

    def get_query_argument(self, name: str, default: str) -> str:
        return self.query.get(name, default)


def test_a_new_browser_gets_a_private_httponly_cookie_and_the_kernel_its_id():
    """A browser without a cookie gets a random id in a signed, HttpOnly, SameSite=Lax cookie."""
    handler = FakeHandler({}, {}, None)
    learner_pages.vouch_for_learner(handler)
    [(name, value, options)] = handler.set_cookies
    assert name == "backspasm_browser" and len(value) == 32
    assert options["httponly"] and options["samesite"] == "Lax" and options["path"] == "/"
    assert handler.request.headers["X-Backspasm-Browser"] == value
    assert "X-Backspasm-Signed-Learner" not in handler.request.headers


def test_a_returning_browser_keeps_its_id_and_forged_headers_are_dropped():
    """The cookie's id is kept; headers a browser sends to pose as another learner are replaced."""
    mine = "a" * 32
    forged = {"X-Backspasm-Browser": "b" * 32, "X-Backspasm-Signed-Learner": "yes"}
    handler = FakeHandler({"learner": "Sam"}, forged, mine.encode())
    learner_pages.vouch_for_learner(handler)
    assert handler.request.headers.get_list("X-Backspasm-Browser") == [mine]
    assert "X-Backspasm-Signed-Learner" not in handler.request.headers


def test_a_cookie_that_is_not_an_id_is_replaced():
    """A signed cookie holding anything but 32 hex digits gets a fresh id instead."""
    handler = FakeHandler({}, {}, b"../../etc/passwd")
    learner_pages.vouch_for_learner(handler)
    assert handler.request.headers["X-Backspasm-Browser"] != "../../etc/passwd"
    assert len(handler.request.headers["X-Backspasm-Browser"]) == 32


@pytest.mark.parametrize(
    ("code", "signed"),
    [(learner_pages.learner_code(SECRET, "Sam Lee"), True), ("AAAAAAAAAAAAAAAAAAAA", False)],
)
def test_only_the_right_code_makes_a_class_link(code, signed):
    """The kernel hears "signed" only for a name whose code the course secret made."""
    handler = FakeHandler({"learner": "Sam Lee", "code": code}, {}, None)
    learner_pages.vouch_for_learner(handler)
    assert ("X-Backspasm-Signed-Learner" in handler.request.headers) is signed


def test_voila_passes_only_the_three_vouched_headers_to_kernels():
    """Kernels get the browser id, the signed flag and (the dashboard's alone) the checked key, nothing else."""
    config = serve.voila_config(serve.ServeOptions(), serve.notebooks_dir())
    assert config.VoilaConfiguration.http_header_envs == [
        "X-Backspasm-Browser",
        "X-Backspasm-Signed-Learner",
        "X-Backspasm-Instructor-Key",
    ]


def test_serve_prints_each_learners_own_link_from_a_class_list(tmp_path, capsys, fake_voila):
    """--class-list prints one link per name (comments and blanks skipped), each with its code."""
    names = tmp_path / "class.txt"
    names.write_text("# Year 10 first aid\nSam Lee\n\n  Ali  \n", encoding="utf-8")
    port = free_port()
    code, out, _ = run_cli(
        ["serve", "--port", str(port), "--progress", str(tmp_path), "--class-list", str(names)],
        capsys,
    )
    assert code == 0
    assert "Each learner's own link (2; give each only to its learner):" in out
    lines = [line.strip().split("\t") for line in out.splitlines() if "\t" in line]
    assert [name for name, _ in lines] == ["Sam Lee", "Ali"]
    secret = course_secret(tmp_path / "backspasm-progress.sqlite")
    for name, link in lines:
        assert link.startswith(f"http://127.0.0.1:{port}/voila/render/00_start_here.ipynb?")
        query = parse_qs(urlparse(link).query)
        assert query["learner"] == [name] and code_matches(secret, name, query["code"][0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Sam\nAli\nSam\n", "expected each learner's name once"),
        ("# only a comment\n\n", "expected at least one learner's name, got none"),
    ],
)
def test_a_bad_class_list_stops_serve_before_it_starts(tmp_path, capsys, fake_voila, text, message):
    """Repeated names or no names exit 2 with one line, before anything is served."""
    names = tmp_path / "class.txt"
    names.write_text(text, encoding="utf-8")
    code, _, err = run_cli(
        ["serve", "--port", str(free_port()), "--class-list", str(names)], capsys
    )
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert fake_voila.started is None


def test_links_prints_the_same_links_serve_would(tmp_path, capsys):
    """`backspasm-edu links` makes the links without starting a server, for a given address."""
    code, out, _ = run_cli(
        ["links", "Sam Lee", "--progress", str(tmp_path), "--url", "http://class.example:8866/"],
        capsys,
    )
    assert code == 0
    name, link = out.strip().split("\t")
    assert name == "Sam Lee"
    assert link.startswith("http://class.example:8866/voila/render/00_start_here.ipynb?learner=")
    _, again, _ = run_cli(["links", "Sam Lee", "--progress", str(tmp_path)], capsys)
    assert again.split("code=")[1] == out.split("code=")[1]  # the secret is kept


def test_links_without_names_exits_2(tmp_path, capsys):
    """With no names at all, links says what it expected in one line."""
    code, _, err = run_cli(["links", "--progress", str(tmp_path)], capsys)
    assert code == 2 and "expected at least one learner's name" in err


def test_a_forged_instructor_key_header_is_dropped_from_every_page():
    """A browser's own X-Backspasm-Instructor-Key header never reaches a kernel."""
    handler = FakeHandler({}, {"X-Backspasm-Instructor-Key": "guess"}, None)
    learner_pages.vouch_for_learner(handler)
    assert "X-Backspasm-Instructor-Key" not in handler.request.headers


def test_each_client_may_open_its_pages_per_minute_then_one_every_60_over_n_seconds():
    """The page allowance is a token bucket per client address: N at once, then one per 60/N s."""
    admission = learner_pages.PageAdmission(max_kernels=100, pages_per_minute=10)
    assert [admission.client_may_open("10.0.0.5", 0.0) for _ in range(11)] == [True] * 10 + [False]
    assert admission.client_may_open("10.0.0.6", 0.0)
    assert not admission.client_may_open("10.0.0.5", 5.9)
    assert admission.client_may_open("10.0.0.5", 6.1)
    assert not admission.client_may_open("10.0.0.5", 6.2)
    unlimited = learner_pages.PageAdmission(max_kernels=100, pages_per_minute=0)
    assert all(unlimited.client_may_open("10.0.0.5", 0.0) for _ in range(1000))


class RefusingHandler:
    """The parts of a Tornado handler admit_page uses, recording the answer it sends."""

    def __init__(self, kernel_ids: list[str]):
        manager = SimpleNamespace(list_kernel_ids=lambda: list(kernel_ids))
        self.settings = {"kernel_manager": manager}
        self.request = SimpleNamespace(remote_ip="10.0.0.5", headers=HTTPHeaders())
        self.status, self.headers, self.body = 200, {}, ""

    def set_status(self, status: int) -> None:
        self.status = status

    def set_header(self, name: str, value: str) -> None:
        self.headers[name] = value

    def finish(self, body: str) -> None:
        self.body = body


def test_preheated_and_starting_kernels_count_toward_the_cap():
    """Pool kernels are live kernels, and a page let in but not yet started holds its place."""
    admission = learner_pages.PageAdmission(max_kernels=3, pages_per_minute=0)
    preheated = ["pool-1", "pool-2"]
    first = RefusingHandler(preheated)
    assert learner_pages.admit_page(first, admission) and admission.starting == 1
    second = RefusingHandler(preheated)
    assert not learner_pages.admit_page(second, admission)
    assert second.status == 503 and second.headers["Retry-After"] == "60"
    assert "The class is full - try again in a minute" in second.body
    admission.starting -= 1  # the first page's kernel has started: it is one of the live ones
    assert not learner_pages.admit_page(RefusingHandler([*preheated, "page-1"]), admission)
    assert learner_pages.admit_page(RefusingHandler(["pool-1", "page-1"]), admission)


def test_refusal_pages_are_plain_and_escape_their_text():
    """A refusal is a small HTML page in the learner's words, with nothing read as markup."""
    page = learner_pages.plain_page("Too <many>", "Wait & retry")
    assert "<h1>Too &lt;many&gt;</h1><p>Wait &amp; retry</p>" in page
    assert "<script" not in page


@pytest.mark.parametrize(
    ("peer", "headers", "client"),
    [
        ("10.0.0.5", {}, "10.0.0.5"),
        ("10.0.0.5", {"X-Forwarded-For": "10.9.9.9"}, "10.0.0.5"),
        ("127.0.0.1", {}, "127.0.0.1"),
        ("127.0.0.1", {"X-Forwarded-For": "10.9.9.9, 10.0.0.7"}, "10.0.0.7"),
        ("::1", {"X-Real-Ip": "10.0.0.8"}, "10.0.0.8"),
        ("127.0.0.1", {"X-Forwarded-For": "not an address"}, "127.0.0.1"),
    ],
)
def test_pages_are_counted_per_device_and_through_a_proxy_on_this_computer(peer, headers, client):
    """A device is its peer address; only a proxy on this computer may name the device it forwards for."""
    request = SimpleNamespace(remote_ip=peer, headers=HTTPHeaders(headers))
    assert learner_pages.client_address(request) == client
