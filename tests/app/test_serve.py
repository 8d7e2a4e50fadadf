"""`backspasm-edu serve` and `notebooks`: options, the Voila configuration, errors and the listing."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import socket
import time
import webbrowser
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from backspasm_edu.app import cli, serve

ROOT = Path(__file__).parents[2]
DATA = Path(__file__).parents[1] / "data"
TITLES = {
    "00_start_here": "Start here",
    "01_what_is_a_back_spasm": "What is a back spasm?",
    "02_causes": "What causes back spasms?",
    "03_when_to_get_help": "When to get help",
    "04_treatments": "Treatments and the evidence",
    "05_stop_and_prevent": "Stop and prevent spasms",
    "06_quiz": "Knowledge check",
    "07_case_scenarios": "Patient cases",
    "08_course_record": "Your course record",
}


def run_cli(args, capsys):
    """Run the CLI in-process; return (code, out, err)."""
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parse_serve(*args):
    """The parsed arguments of `backspasm-edu serve ARGS`."""
    return cli.build_parser().parse_args(["serve", *args])


@pytest.fixture
def busy_port():
    """A port on 127.0.0.1 that another program listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_serve_defaults_to_this_computer_only() -> None:
    """Without options serve listens on 127.0.0.1:8866 and culls idle kernels after 300 s."""
    args = parse_serve()
    assert (args.host, args.port, args.open, args.content) == ("127.0.0.1", 8866, False, None)
    assert args.host == serve.DEFAULT_HOST and args.port == serve.DEFAULT_PORT
    assert args.cull_idle_timeout == serve.CULL_IDLE_TIMEOUT == 300
    assert args.cull_interval == serve.CULL_INTERVAL


def test_serve_help_explains_how_to_share_with_a_class(capsys) -> None:
    """`serve --help` says that --host 0.0.0.0 opens the apps to the network, with no password."""
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--host 0.0.0.0" in text
    assert "no password" in text
    assert "127.0.0.1" in text


def test_voila_config_hides_code_and_errors_and_culls_idle_kernels() -> None:
    """The config strips sources, hides tracebacks, removes remove-cell cells and culls kernels."""
    folder = serve.notebooks_dir()
    config = serve.voila_config(serve.ServeOptions(cull_idle_timeout=30, cull_interval=5), folder)
    assert config.Voila.ip == "127.0.0.1"
    assert config.Voila.port == 8866
    assert config.Voila.port_retries == 0
    assert config.Voila.root_dir == str(folder)
    assert config.Voila.config_file_paths == []
    assert config.VoilaConfiguration.strip_sources is True
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.VoilaConfiguration.allow_template_override == "NO"
    assert config.VoilaConfiguration.preheat_kernel is False
    assert config.Voila.tornado_settings["compress_response"] is True
    assert config.VoilaConfiguration.extension_allowlist == serve.LAB_EXTENSIONS
    assert config.TagRemovePreprocessor.enabled is True
    assert config.TagRemovePreprocessor.remove_cell_tags == ["remove-cell"]
    assert config.MappingKernelManager.cull_idle_timeout == 30
    assert config.MappingKernelManager.cull_interval == 5
    assert config.MappingKernelManager.cull_connected is False
    assert config.VoilaExecutor.timeout == serve.CELL_TIMEOUT


def test_preheat_kernels_fills_a_pool_per_app_but_not_for_the_dashboard() -> None:
    """--preheat-kernels N turns Voila's preheating on with N kernels per app, none for 08."""
    config = serve.voila_config(serve.ServeOptions(preheat_kernels=3), serve.notebooks_dir())
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaConfiguration.default_pool_size == 3
    assert config.VoilaKernelManager.preheat_denylist == ["09_instructor_dashboard.ipynb"]


def test_a_class_pool_starts_empty_for_its_apps_only() -> None:
    """--class-size turns preheating on with empty pools for the class's apps (ClassPool fills them), none elsewhere."""
    options = serve.ServeOptions(class_size=30, class_apps=("06_quiz", "07_case_scenarios"))
    config = serve.voila_config(options, serve.notebooks_dir())
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 0},
        "06_quiz.ipynb": {"pool_size": 0},
        "07_case_scenarios.ipynb": {"pool_size": 0},
    }
    assert config.VoilaKernelManager.preheat_denylist == ["09_instructor_dashboard.ipynb"]


def test_serve_announces_the_class_pool_and_its_apps(capsys, monkeypatch, fake_voila) -> None:
    """With room in memory, serve names the class pool's size and apps (given with or without .ipynb)."""
    monkeypatch.setattr(serve, "default_max_kernels", lambda: 29)
    args = ["serve", "--port", str(free_port()), "--class-size", "25", "--app", "06_quiz.ipynb"]
    code, out, _ = run_cli(args, capsys)
    assert code == 0
    assert "At most 29 kernels at once" in out
    assert "Class pool: 25 kernel(s) kept ready for each of 06_quiz; let the class in" in out


def test_voila_json_for_jupyterlab_and_binder_agrees_with_serve() -> None:
    """Every setting in voila.json (read by Voila's server extension) equals serve's own."""
    config = serve.voila_config(serve.ServeOptions(), serve.notebooks_dir())
    settings = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    for section, values in settings.items():
        for key, value in values.items():
            assert config[section][key] == value, f"{section}.{key}"
    assert settings["VoilaConfiguration"]["extension_allowlist"] == serve.LAB_EXTENSIONS


def test_port_in_use_exits_2_with_one_line(busy_port, capsys, fake_voila) -> None:
    """A port another program holds gives one error line naming the port, exit 2, no server."""
    code, out, err = run_cli(["serve", "--port", str(busy_port)], capsys)
    assert code == 2
    assert out == ""
    assert err == (
        f"backspasm-edu serve: error: port {busy_port} on 127.0.0.1 is already in use "
        "(is another server running?); stop it or choose another port with --port\n"
    )
    assert fake_voila.started is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port: expected a port number from 1 to 65535, got 70000"),
        (["--port", "0"], "--port: expected a port number from 1 to 65535, got 0"),
        (["--host", "no-such-host.invalid"], "--host no-such-host.invalid: not an address"),
        (["--host", "192.0.2.1"], "--host 192.0.2.1: not an address of this machine"),
        (["--cull-idle-timeout", "-1"], "--cull-idle-timeout: expected 0 (never) or more"),
        (["--cull-interval", "0"], "--cull-interval: expected 1 or more seconds, got 0"),
        (["--preheat-kernels", "-1"], "--preheat-kernels: expected 0 (off) to 20 kernels per"),
        (["--preheat-kernels", "21"], "--preheat-kernels: expected 0 (off) to 20 kernels per"),
        (["--max-kernels", "0"], "--max-kernels: expected 1 or more, got 0"),
        (
            ["--max-kernels", "9", "--preheat-kernels", "1"],
            "--max-kernels: expected more than the 9 preheated kernels, got 9",
        ),
        (["--pages-per-minute", "-1"], "--pages-per-minute: expected 0 (no limit) or more"),
        (["--cull-unconnected-timeout", "0"], "--cull-unconnected-timeout: expected 1 or more"),
        (["--kernel-memory-limit", "100"], "--kernel-memory-limit: expected 0 (no limit) or at"),
        (["--class-size", "-1"], "--class-size: expected 0 (off) to 500 kernels per app, one"),
        (["--class-size", "501"], "--class-size: expected 0 (off) to 500 kernels per app, one"),
        (["--app", "06_quiz"], "--app: expected --class-size with it, got --app 06_quiz alone"),
        (
            ["--class-size", "5", "--app", "99_nothing"],
            "--app: expected one of 00_start_here, 01_what_is_a_back_spasm,",
        ),
        (
            ["--class-size", "5", "--app", "09_instructor_dashboard"],
            "--app: expected one of 00_start_here,",
        ),
        (
            ["--max-kernels", "30", "--class-size", "30", "--app", "06_quiz"],
            "--max-kernels: expected more than the 30 preheated kernels, got 30",
        ),
    ],
)
def test_bad_serve_options_exit_2_with_one_line(args, message, capsys, fake_voila) -> None:
    """A bad port, host, cull, preheat or limit setting gives one error line naming it and exit 2."""
    code, out, err = run_cli(["serve", *args], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith(f"backspasm-edu serve: error: {message}")
    assert err.count("\n") == 1
    assert fake_voila.started is None


def test_missing_content_folder_exits_2_naming_it(tmp_path, capsys, fake_voila) -> None:
    """--content with a folder that does not exist names it and exits 2 before serving."""
    missing = tmp_path / "nowhere"
    code, out, err = run_cli(["serve", "--content", str(missing)], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{missing}: expected a file or folder, but it does not exist",
        f"backspasm-edu serve: error: --content {missing}: 1 problem(s); fix them "
        "(backspasm-edu validate DIR lists them) or serve without it",
    ]
    assert fake_voila.started is None


def test_content_that_is_a_file_exits_2(tmp_path, capsys, fake_voila) -> None:
    """--content must be a folder: a file gives one error line and exit 2."""
    file = tmp_path / "quiz.yaml"
    shutil.copy(DATA / "all_types.yaml", file)
    code, _, err = run_cli(["serve", "--content", str(file)], capsys)
    assert code == 2
    assert err == (
        "backspasm-edu serve: error: --content: expected a folder of content files, "
        f"got the file {str(file)!r}\n"
    )
    assert fake_voila.started is None


def test_invalid_content_exits_2_with_every_problem(tmp_path, capsys, fake_voila) -> None:
    """Content that does not validate prints each problem line and a summary, exit 2."""
    (tmp_path / "notes.yaml").write_text("just: notes\n")
    code, _, err = run_cli(["serve", "--content", str(tmp_path)], capsys)
    lines = err.splitlines()
    assert code == 2
    assert lines[0].startswith(f"{tmp_path / 'notes.yaml'}: expected a quiz")
    assert lines[-1].startswith(f"backspasm-edu serve: error: --content {tmp_path}: 1 problem(s)")
    assert fake_voila.started is None


def test_valid_content_reaches_the_kernels_environment(tmp_path, monkeypatch, capsys, fake_voila):
    """Valid --content is passed to kernels as an absolute $BACKSPASM_EDU_CONTENT."""
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(DATA / "all_types.yaml", course / "my_quiz.yaml")
    monkeypatch.chdir(tmp_path)
    port = free_port()
    code, out, err = run_cli(["serve", "--content", "course", "--port", str(port)], capsys)
    assert (code, err) == (0, "")
    assert serve.os.environ[serve.CONTENT_ENV] == str(course)
    assert f"Open http://127.0.0.1:{port}/" in out


def test_invalid_content_in_the_environment_is_refused(tmp_path, monkeypatch, capsys, fake_voila):
    """A $BACKSPASM_EDU_CONTENT the kernels would inherit is validated like --content."""
    monkeypatch.setenv(serve.CONTENT_ENV, str(tmp_path / "gone"))
    code, _, err = run_cli(["serve"], capsys)
    assert code == 2
    assert f"error: ${serve.CONTENT_ENV} {tmp_path / 'gone'}: 1 problem(s)" in err
    assert fake_voila.started is None


def test_serve_announces_the_url_and_puts_the_landing_page_first(capsys, fake_voila) -> None:
    """Once listening, serve prints the URL; its tree.html comes before Voila's templates."""
    port = free_port()
    code, out, _ = run_cli(["serve", "--port", str(port)], capsys)
    app = fake_voila.started
    assert code == 0
    assert app.template_paths == [str(serve.TEMPLATES), "/voila/templates/lab"]
    assert (serve.TEMPLATES / "tree.html").is_file()
    assert app.config.Voila.tornado_settings["jinja_template_vars"]["backspasm_apps"]
    assert out.splitlines()[:3] == [
        f"Serving {len(list(serve.notebooks_dir().glob('*.ipynb')))} apps from "
        f"{serve.notebooks_dir()}",
        f"Open http://127.0.0.1:{port}/",
        "Only this computer can open it; --host 0.0.0.0 shares it with your network.",
    ]


def test_host_0000_gives_the_network_address_and_open_starts_a_browser(
    capsys, monkeypatch, fake_voila
) -> None:
    """--host 0.0.0.0 prints a network link with a no-password warning; --open opens the URL."""
    opened = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    port = free_port()
    code, out, _ = run_cli(["serve", "--host", "0.0.0.0", "--port", str(port), "--open"], capsys)
    assert code == 0
    assert fake_voila.started.config.Voila.ip == "0.0.0.0"
    assert f"Open http://127.0.0.1:{port}/" in out
    assert re.search(rf"Students on your network open http://\S+:{port}/ \(no password", out)
    deadline = time.monotonic() + 5
    while not opened and time.monotonic() < deadline:
        time.sleep(0.01)  # the browser opens from a thread, as it may take a while
    assert opened == [f"http://127.0.0.1:{port}/"]


def test_notebooks_dir_is_the_installed_packages_copy_of_the_apps() -> None:
    """Installed from the wheel, serve takes the apps from inside the package: the repository's notebooks."""
    packaged = serve.notebooks_dir()
    assert packaged.parent == Path(serve.__file__).parents[1]
    repository = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [path.name for path in sorted(packaged.glob("*.ipynb"))] == [p.name for p in repository]


def test_landing_page_titles_and_descriptions_come_from_metadata() -> None:
    """Each of the nine learner apps has its title and README description in its notebook metadata."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, title in TITLES.items():
        info = serve.app_info(ROOT / "notebooks" / f"{name}.ipynb")
        assert (info.path, info.title) == (f"{name}.ipynb", title)
        row = next(line for line in readme.splitlines() if line.startswith(f"| [{title}]("))
        assert f"| {info.description} |" in row


def test_every_numbered_notebook_gets_a_title_and_description() -> None:
    """Every NN_*.ipynb, present or added later, is listed with a title and a description."""
    entries = serve.landing_entries(ROOT / "notebooks")(
        {"type": "notebook", "path": path.name, "name": path.name}
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    )
    assert len(entries) >= 8
    for entry in entries:
        assert entry.title and entry.title != entry.path
        assert entry.description


def test_app_info_falls_back_to_the_first_heading_then_the_file_name(tmp_path) -> None:
    """Without metadata the title is the first heading and the line after it, else the name."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("# Class results\n\n> A note\n\nHow the class did."),
    ]
    nbformat.write(notebook, tmp_path / "09_instructor_dashboard.ipynb")
    info = serve.app_info(tmp_path / "09_instructor_dashboard.ipynb")
    assert (info.title, info.description) == ("Class results", "How the class did.")
    (tmp_path / "09_broken_one.ipynb").write_text("{not json")
    info = serve.app_info(tmp_path / "09_broken_one.ipynb")
    assert (info.title, info.description) == ("Broken one", "")


def test_notebooks_copies_every_app_and_refuses_to_overwrite(tmp_path, capsys) -> None:
    """`notebooks DEST` copies every notebook; again without --force it names them and exits 2."""
    dest = tmp_path / "my apps"
    code, out, _ = run_cli(["notebooks", str(dest)], capsys)
    names = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
    assert code == 0
    assert sorted(path.name for path in dest.iterdir()) == names
    assert (dest / "06_quiz.ipynb").read_bytes() == (ROOT / "notebooks/06_quiz.ipynb").read_bytes()
    assert out.startswith(f"Copied {len(names)} notebooks to {dest}")
    (dest / "06_quiz.ipynb").write_text("my edits")
    code, out, err = run_cli(["notebooks", str(dest)], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"backspasm-edu notebooks: error: {dest}: {', '.join(names)} already exist; "
        "add --force to overwrite them\n"
    )
    assert (dest / "06_quiz.ipynb").read_text() == "my edits"
    code, _, _ = run_cli(["notebooks", str(dest), "--force"], capsys)
    assert code == 0
    assert (dest / "06_quiz.ipynb").read_bytes() == (ROOT / "notebooks/06_quiz.ipynb").read_bytes()


@pytest.mark.parametrize("force", [False, True])
def test_notebooks_never_writes_through_a_link(tmp_path, capsys, force) -> None:
    """A link (dangling or not) in DEST in a notebook's place is refused with one line, even with --force; nothing is written."""
    dest, outside = tmp_path / "apps", tmp_path / "outside"
    dest.mkdir()
    outside.mkdir()
    (outside / "kept.ipynb").write_text("mine")
    (dest / "06_quiz.ipynb").symlink_to(outside / "planted.ipynb")  # dangling
    (dest / "02_causes.ipynb").symlink_to(outside / "kept.ipynb")
    code, out, err = run_cli(["notebooks", str(dest), *(["--force"] if force else [])], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"backspasm-edu notebooks: error: {dest}: 02_causes.ipynb, 06_quiz.ipynb are links; "
        "notebooks are never written through a link: remove it or choose another folder\n"
    )
    assert sorted(path.name for path in outside.iterdir()) == ["kept.ipynb"]
    assert (outside / "kept.ipynb").read_text() == "mine"
    assert sorted(path.name for path in dest.iterdir()) == ["02_causes.ipynb", "06_quiz.ipynb"]


def test_notebooks_into_a_file_exits_2(tmp_path, capsys) -> None:
    """`notebooks DEST` where DEST is a file gives one error line and exit 2."""
    target = tmp_path / "file.txt"
    target.write_text("x")
    code, _, err = run_cli(["notebooks", str(target)], capsys)
    assert code == 2
    assert err == (
        f"backspasm-edu notebooks: error: {target}: expected a folder to copy the notebooks "
        "into, got a file\n"
    )


def test_progress_goes_to_the_folder_serve_starts_in(tmp_path, monkeypatch, capsys, fake_voila):
    """Without --progress or the variable, kernels keep progress where serve was started."""
    monkeypatch.delenv("BACKSPASM_EDU_PROGRESS")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["serve", "--port", str(free_port())], capsys)
    assert code == 0
    expected = tmp_path.resolve() / "backspasm-progress.sqlite"
    assert serve.os.environ["BACKSPASM_EDU_PROGRESS"] == str(expected)
    assert f"Progress is saved in {expected}" in out


@pytest.mark.network
def test_serve_keeps_progress_in_a_postgresql_database_and_never_prints_its_password(
    postgres_url, capsys, fake_voila
):
    """--progress postgresql://... passes the URL to the kernels; the announcement hides the password."""
    from tests.postgres_server import PASSWORD

    code, out, err = run_cli(
        ["serve", "--progress", postgres_url, "--port", str(free_port())], capsys
    )
    assert code == 0
    assert serve.os.environ["BACKSPASM_EDU_PROGRESS"] == postgres_url
    assert f"Progress is saved in {postgres_url.replace(PASSWORD, '***')}\n" in out
    assert PASSWORD not in out + err


def test_a_progress_file_that_is_not_a_store_stops_serve(tmp_path, capsys, fake_voila):
    """--progress naming a foreign file exits 2 with one line and leaves the file as it was."""
    notes = tmp_path / "notes.txt"
    notes.write_text("my lesson notes")
    code, _, err = run_cli(["serve", "--progress", str(notes), "--port", str(free_port())], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and str(notes) in err
    assert notes.read_text() == "my lesson notes"
    assert fake_voila.started is None


def test_a_store_damaged_inside_stops_serve_before_any_kernel(tmp_path, capsys, fake_voila):
    """A store whose middle is overwritten opens, but serve's quick_check stops the start with one line."""
    from backspasm_edu.progress import FILE_NAME, ProgressStore, Recorder

    path = tmp_path / FILE_NAME
    with ProgressStore(path) as store:
        recorder = Recorder(store, "Ana", "quiz", "q", 1)
        for number in range(300):
            recorder.record(item_id=f"x{number}", answer=1, correct=True, score=1, attempt=1)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 1000] = b"\xa5" * 1000
    path.write_bytes(bytes(data))
    damaged = bytes(data)
    code, _, err = run_cli(["serve", "--progress", str(path), "--port", str(free_port())], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "damaged" in err and str(path) in err
    assert path.read_bytes() == damaged
    assert fake_voila.started is None


def test_serve_prints_a_private_link_to_the_class_results(capsys, fake_voila):
    """The dashboard link carries the instructor key, given or new at every start."""
    port = free_port()
    _, out, _ = run_cli(["serve", "--port", str(port), "--instructor-key", "k3y"], capsys)
    link = f"http://127.0.0.1:{port}/voila/render/09_instructor_dashboard.ipynb?key=k3y"
    assert link in out
    _, first, _ = run_cli(["serve", "--port", str(free_port())], capsys)
    _, second, _ = run_cli(["serve", "--port", str(free_port())], capsys)
    keys = [text.split("?key=")[1].split()[0] for text in (first, second)]
    assert keys[0] != keys[1] and len(keys[0]) >= 16


def test_no_kernel_inherits_the_instructor_key(monkeypatch, capsys, fake_voila):
    """A key in $BACKSPASM_EDU_INSTRUCTOR_KEY is used for the link and taken out of the environment kernels inherit."""
    monkeypatch.setenv("BACKSPASM_EDU_INSTRUCTOR_KEY", "from env")
    code, out, err = run_cli(["serve", "--port", str(free_port())], capsys)
    assert (code, err) == (0, "")
    assert "09_instructor_dashboard.ipynb?key=from+env\n" in out
    assert "BACKSPASM_EDU_INSTRUCTOR_KEY" not in serve.os.environ


def test_a_key_on_the_command_line_warns_and_a_key_file_does_not(tmp_path, capsys, fake_voila):
    """--instructor-key warns that ps shows it; --instructor-key-file gives the key with no warning."""
    _, _, err = run_cli(["serve", "--port", str(free_port()), "--instructor-key", "k3y"], capsys)
    assert err == (
        "backspasm-edu serve: warning: --instructor-key can be read by anyone on this computer "
        "(ps); give it in $BACKSPASM_EDU_INSTRUCTOR_KEY or --instructor-key-file instead\n"
    )
    key_file = tmp_path / "key.txt"
    key_file.write_text("  filed-key  \nignored\n", encoding="utf-8")
    port = free_port()
    code, out, err = run_cli(
        ["serve", "--port", str(port), "--instructor-key-file", str(key_file)], capsys
    )
    assert (code, err) == (0, "")
    assert f"{port}/voila/render/09_instructor_dashboard.ipynb?key=filed-key\n" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "--instructor-key-file: expected a readable file holding the key, got "),
        ("\n\n", "--instructor-key-file: expected the key on the file's first line, got an empty"),
    ],
)
def test_a_missing_or_empty_key_file_exits_2(tmp_path, capsys, fake_voila, content, message):
    """A key file that cannot be read, or holds no key, gives one error line and exit 2."""
    key_file = tmp_path / "key.txt"
    if content is not None:
        key_file.write_text(content, encoding="utf-8")
    code, out, err = run_cli(
        ["serve", "--port", str(free_port()), "--instructor-key-file", str(key_file)], capsys
    )
    assert (code, out) == (2, "")
    assert err.startswith(f"backspasm-edu serve: error: {message}") and err.count("\n") == 1
    assert fake_voila.started is None


def test_sharing_with_the_network_without_tls_warns(capsys, fake_voila):
    """--host 0.0.0.0 without --certfile prints one warning that traffic is unencrypted."""
    code, _, err = run_cli(["serve", "--host", "0.0.0.0", "--port", str(free_port())], capsys)
    assert code == 0
    assert err == (
        "backspasm-edu serve: warning: --host 0.0.0.0 without --certfile: names, answers and "
        "the instructor key cross the network unencrypted; add --certfile and --keyfile, or "
        "serve behind an HTTPS proxy on this computer\n"
    )


def test_bad_tls_files_exit_2_with_one_line(tmp_path, capsys, fake_voila):
    """A certificate that is not PEM, or --keyfile alone, gives one error line and exit 2."""
    bogus = tmp_path / "cert.pem"
    bogus.write_text("not a certificate")
    code, _, err = run_cli(["serve", "--port", str(free_port()), "--certfile", str(bogus)], capsys)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(
        "backspasm-edu serve: error: --certfile/--keyfile: expected a PEM certificate and its "
        f"private key, got {bogus} ("
    )
    code, _, err = run_cli(["serve", "--port", str(free_port()), "--keyfile", str(bogus)], capsys)
    assert (code, err) == (
        2,
        "backspasm-edu serve: error: --keyfile: expected --certfile with it, got --keyfile alone\n",
    )
    assert fake_voila.started is None


def test_preheated_kernels_are_refused_over_https(tmp_path, capsys, fake_voila):
    """--preheat-kernels with --certfile exits 2 in one line: such kernels could not tell learners apart."""
    certificate = tmp_path / "cert.pem"
    certificate.write_text("checked after the combination")
    args = ["serve", "--port", str(free_port()), "--certfile", str(certificate)]
    code, _, err = run_cli([*args, "--preheat-kernels", "2"], capsys)
    assert (code, err) == (
        2,
        "backspasm-edu serve: error: --preheat-kernels: expected 0 with --certfile (preheated "
        "kernels cannot learn who their page is for over HTTPS), got 2\n",
    )
    assert fake_voila.started is None


def test_a_class_pool_is_refused_over_https(tmp_path, capsys, fake_voila):
    """--class-size with --certfile exits 2 in one line saying why and what to do instead."""
    certificate = tmp_path / "cert.pem"
    certificate.write_text("checked after the combination")
    args = ["serve", "--port", str(free_port()), "--certfile", str(certificate)]
    code, _, err = run_cli([*args, "--class-size", "30"], capsys)
    assert (code, err) == (
        2,
        "backspasm-edu serve: error: --class-size: expected 0 with --certfile (a class pool's "
        "kernels cannot learn who their page is for over HTTPS; serve over HTTP behind an HTTPS "
        "proxy on this computer instead), got 30\n",
    )
    assert fake_voila.started is None


def test_the_default_kernel_cap_follows_available_memory(tmp_path) -> None:
    """--max-kernels defaults to (MemAvailable - 512 MiB) / 150 MiB, and never below 4."""
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16384000 kB\nMemAvailable:    8388608 kB\n")
    assert serve.default_max_kernels(meminfo) == (8192 - 512) // 150 == 51
    meminfo.write_text("MemTotal:       2097152 kB\nMemAvailable:     524288 kB\n")
    assert serve.default_max_kernels(meminfo) == 4


def test_serve_help_gives_the_limits_and_who_sees_class_results(capsys) -> None:
    """`serve --help` states the default kernel cap's formula, the rate, the memory limit and the single-user setting."""
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(MemAvailable - 512 MiB) / 150 MiB, at least 4" in text
    assert "per minute; more get HTTP 429 (default 30; 0 no limit)" in text
    assert "before it gets a MemoryError (default 1536; 0 no limit)" in text
    assert "BACKSPASM_EDU_SINGLE_USER=1" in text
    assert "--certfile" in text and "--instructor-key-file" in text


def test_the_default_kernel_cap_leaves_room_beside_preheated_kernels(
    capsys, monkeypatch, fake_voila
) -> None:
    """With little memory and --preheat-kernels 2, the default cap is the pools plus 4 pages."""
    monkeypatch.setattr(serve, "default_max_kernels", lambda: 4)
    _, out, _ = run_cli(["serve", "--port", str(free_port()), "--preheat-kernels", "2"], capsys)
    apps = len([path for path in serve.notebooks_dir().glob("*.ipynb")]) - 1
    assert f"At most {2 * apps + 4} kernels at once" in out


def test_the_announcement_gives_the_limits(capsys, fake_voila) -> None:
    """serve says how many kernels it allows, the page rate and when unconnected kernels go."""
    args = ["serve", "--port", str(free_port()), "--max-kernels", "12", "--pages-per-minute", "5"]
    _, out, _ = run_cli(args, capsys)
    assert (
        "At most 12 kernels at once (one per open page); each device may open 5 pages a minute."
        in out
    )
    assert "one whose page never connected after 60 s" in out


def test_voila_config_limits_message_sizes_and_kernel_memory() -> None:
    """Websocket messages are capped below the request body limit; kernels start with RLIMIT_AS."""
    config = serve.voila_config(serve.ServeOptions(kernel_memory_limit=700), serve.notebooks_dir())
    limit = config.Voila.tornado_settings["websocket_max_message_size"]
    assert limit == serve.MAX_WEBSOCKET_MESSAGE_BYTES < serve.MAX_REQUEST_BODY_BYTES
    assert limit < 9_000_000  # the 9 MB comm_open of issue 14
    manager_class = config.VoilaConfiguration.multi_kernel_manager_class
    assert manager_class.__name__ == "MemoryLimitedKernelManager"
    unlimited = serve.voila_config(serve.ServeOptions(kernel_memory_limit=0), serve.notebooks_dir())
    assert "multi_kernel_manager_class" not in unlimited.VoilaConfiguration


def test_the_culler_passes_over_a_kernel_that_is_still_starting() -> None:
    """A culling pass that meets a kernel with no activity yet skips it (no TraitError in the log); a started one is checked."""
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    starting, started = ServerKernelManager(), ServerKernelManager()
    started.last_activity = datetime.now(UTC)
    checked: list[str] = []

    class Manager:
        """Just what the culling wrapper uses of Voila's kernel manager."""

        def get_kernel(self, kernel_id: str) -> ServerKernelManager:
            return {"starting": starting, "started": started}[kernel_id]

        async def cull_kernel_if_idle(self, kernel_id: str) -> None:
            checked.append(kernel_id)

    manager = Manager()
    serve._leave_starting_kernels_to_start(manager)
    # In a thread of its own: the browser tests' Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as thread:
        for kernel_id in ("starting", "started"):
            thread.submit(asyncio.run, manager.cull_kernel_if_idle(kernel_id)).result()
    assert checked == ["started"]


@pytest.mark.parametrize(
    "validator",
    [{"Etag": '"abc"'}, {"Last-Modified": "Sun, 29 Nov 2026 13:06:08 GMT"}],
    ids=["etag", "last-modified-and-length"],
)
def test_gzip_compresses_a_file_once_and_sends_the_same_bytes_again(validator) -> None:
    """A static file's second GET (Etag, or date and length) comes from the gzip cache whole; a HEAD never does."""
    import gzip

    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

    transform = serve.gzip_once_transform()
    content = b"console.log('the quiz');\n" * 8000  # 200 kB: tornado sends it in 64 kB chunks
    chunks = [content[start : start + 65536] for start in range(0, len(content), 65536)]

    def respond(method: str = "GET") -> tuple[HTTPHeaders, bytes]:
        start = RequestStartLine(method, "/voila/static/quiz.js", "HTTP/1.1")
        request = HTTPServerRequest(start_line=start, headers=HTTPHeaders({"Host": "127.0.0.1"}))
        request.headers["Accept-Encoding"] = "gzip"
        headers = HTTPHeaders({"Content-Type": "text/javascript", **validator})
        headers["Content-Length"] = str(len(content))
        gzipping = transform(request)
        _, headers, body = gzipping.transform_first_chunk(200, headers, chunks[0], False)
        for number, chunk in enumerate(chunks[1:], 2):
            body += gzipping.transform_chunk(chunk, number == len(chunks))
        return headers, body

    first_headers, first = respond()
    again_headers, again = respond()
    assert "Content-Length" not in first_headers  # streamed: chunked, as tornado sends it
    assert gzip.decompress(first) == gzip.decompress(again) == content
    assert again_headers["Content-Length"] == str(len(again))
    assert again_headers["Content-Encoding"] == "gzip"
    assert again_headers["Vary"] == "Accept-Encoding"
    start = RequestStartLine("HEAD", "/voila/static/quiz.js", "HTTP/1.1")
    request = HTTPServerRequest(start_line=start, headers=HTTPHeaders({"Host": "127.0.0.1"}))
    request.headers["Accept-Encoding"] = "gzip"
    head = HTTPHeaders({"Content-Type": "text/javascript", **validator, "Content-Length": "9"})
    assert transform(request).transform_first_chunk(200, head, b"", True)[2] == b""


def test_compressing_before_a_lesson_asks_once_for_each_compressible_file(tmp_path, monkeypatch):
    """Scripts, styles and JSON are fetched once each, as a browser names them; maps, images and unreadable folders are left."""
    from tornado.httpclient import AsyncHTTPClient

    widgets = tmp_path / "labextensions" / "@jupyter-widgets" / "static"
    widgets.mkdir(parents=True)
    for name in ("remoteEntry.js", "remoteEntry.js.map", "style.css", "package.json", "logo.png"):
        (widgets / name).write_text("x")
    unreadable = tmp_path / "unreadable"
    unreadable.mkdir()
    real_rglob = Path.rglob

    def rglob(path: Path, pattern: str):
        if path == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return real_rglob(path, pattern)

    fetched: list[tuple[str, str]] = []

    async def fetch(self, request, **_kwargs):
        fetched.append((request.url, request.headers["Accept-Encoding"]))

    monkeypatch.setattr(Path, "rglob", rglob)
    monkeypatch.setattr(AsyncHTTPClient, "fetch", fetch)
    folders = {"voila/labextensions/": [str(tmp_path / "labextensions"), str(unreadable)]}
    # In a thread of its own: the browser tests' Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, serve.compress_static_files("http://h/", folders)).result()
    base = "http://h/voila/labextensions/@jupyter-widgets/static/"
    assert fetched == [
        (base + name, "gzip") for name in ("package.json", "remoteEntry.js", "style.css")
    ]


def test_a_class_pool_bigger_than_free_memory_is_refused(capsys, monkeypatch, fake_voila) -> None:
    """A class pool that the free memory cannot hold (no --max-kernels) exits 2 in one line naming --app."""
    monkeypatch.setattr(serve, "default_max_kernels", lambda: 40)
    code, out, err = run_cli(["serve", "--port", str(free_port()), "--class-size", "30"], capsys)
    apps = len(list(serve.notebooks_dir().glob("*.ipynb"))) - 1
    assert (code, out) == (2, "")
    assert err == (
        "backspasm-edu serve: error: --class-size: expected a class pool this machine's free "
        "memory holds (about 40 kernels with 4 places for other pages; name the apps the lesson "
        f"opens with --app, or give --max-kernels to go ahead), got 30 for each of {apps} apps\n"
    )
    assert fake_voila.started is None
