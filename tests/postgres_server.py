"""A private PostgreSQL server for the tests: Debian's package, on 127.0.0.1, in a temporary folder."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import pytest

USER = "backspasm"
PASSWORD = "s3cret-not-for-pages"
"""The test login's password: no message, page or log line may show it."""
SERVER_SETTINGS = (
    "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "  # a throwaway server
    "-c max_connections=60 -c shared_buffers=16MB"
)


def postgres_binaries() -> Path:
    """The folder of initdb and pg_ctl, installing Debian's postgresql package when missing.

    Skips the test when it is missing and apt-get cannot install it (not root, or no apt).
    """
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.skip(
                "PostgreSQL is not installed and apt-get cannot install it here (needs root): "
                "apt-get install postgresql"
            )
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=environment
        )
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PostgresServer:
    """A running server: ``new_database()`` gives the URL of a fresh, empty database."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._numbers = count(1)

    def url(self, database: str) -> str:
        """The URL of one database on this server, with the test login and its password."""
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Make an empty database and return its URL."""
        import psycopg

        name = f"class_{next(self._numbers)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    """Start a private server (initdb, pg_ctl) as a user other than root; stop it afterwards."""
    binaries = postgres_binaries()
    folder = Path(tempfile.mkdtemp(prefix="backspasm-postgres-"))
    # PostgreSQL refuses to run as root: then the server runs as Debian's postgres user
    # (subprocess switches user itself; runuser is not on every PATH, such as CI's)
    run_as: dict[str, object] = {}
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        run_as = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    data, log, password_file = folder / "data", folder / "server.log", folder / "password"
    password_file.write_text(PASSWORD + "\n")
    if run_as:
        os.chown(password_file, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    subprocess.run(
        [
            str(binaries / "initdb"),
            "--pgdata",
            str(data),
            "--username",
            USER,
            "--pwfile",
            str(password_file),
            "--auth-host=scram-sha-256",
            "--auth-local=scram-sha-256",
            "--encoding=UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        **run_as,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} {SERVER_SETTINGS}"
    pg_ctl = [str(binaries / "pg_ctl"), "--pgdata", str(data)]
    subprocess.run(
        [*pg_ctl, "--log", str(log), "--wait", "--options", options, "start"],
        check=True,
        capture_output=True,
        **run_as,
    )
    try:
        yield PostgresServer(port)
    finally:
        subprocess.run(
            [*pg_ctl, "--mode", "immediate", "--wait", "stop"],
            capture_output=True,
            **run_as,
        )
        shutil.rmtree(folder, ignore_errors=True)
