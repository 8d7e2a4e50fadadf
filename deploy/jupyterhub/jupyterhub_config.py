"""JupyterHub for a class on one machine: each student's own server opens the apps in Voila."""

# Start it, in an environment with backspasm-edu and hub-requirements.txt installed and
# configurable-http-proxy (npm) on PATH:
#
#   BACKSPASM_HUB_PASSWORD=... BACKSPASM_HUB_INSTRUCTORS=ana,ben \
#   BACKSPASM_HUB_CLASS_STORE=/srv/backspasm-edu/class/ jupyterhub -f jupyterhub_config.py
#
# Students sign in with any name and the class password and land on the apps' list in Voila;
# their name on the hub is the learner (no name box). Class results open for the hub's admins
# and the members of the "instructors" group, checked with the hub itself, never with a key in
# the address. Every student's server writes to one class store, a path they all reach: on one
# machine a SQLite file; across nodes (values.yaml, Kubernetes) a PostgreSQL URL.
#
# The students' servers run as the hub's own system user (SimpleLocalProcessSpawner) and can
# open JupyterLab too, so a student can read the class store: use it for a workshop you run;
# for a course, sign in through your institution (an OAuthenticator) and spread the class over
# nodes with Kubernetes (values.yaml beside this file).
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

HERE = Path(__file__).resolve().parent
INSTRUCTOR_GROUP = "instructors"
INSTRUCTORS = [name.strip() for name in os.environ.get("BACKSPASM_HUB_INSTRUCTORS", "").split(",")]

c.JupyterHub.ip = os.environ.get("BACKSPASM_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("BACKSPASM_HUB_PORT", "8000"))

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["BACKSPASM_HUB_PASSWORD"]
c.Authenticator.allow_all = True
c.JupyterHub.load_groups = {INSTRUCTOR_GROUP: {"users": [name for name in INSTRUCTORS if name]}}

c.JupyterHub.spawner_class = "simple"
# The single-user server runs from the hub's own Python, where backspasm-edu is installed.
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/voila/tree"
c.Spawner.environment = {
    # jupyter_server_config.py beside this file: the packaged apps, rendered as serve does.
    "JUPYTER_CONFIG_PATH": str(HERE),
    "BACKSPASM_EDU_PROGRESS": os.environ.get(
        "BACKSPASM_HUB_CLASS_STORE", "/srv/backspasm-edu/class/"
    ),
    "BACKSPASM_EDU_INSTRUCTOR_GROUP": INSTRUCTOR_GROUP,
}
# The server's token may also read its own user's admin flag and groups: class results ask the
# hub with it whether this user is an instructor (backspasm_edu.instructor.access).
c.Spawner.server_token_scopes = [
    "access:servers!server",
    "users:activity!user",
    "read:users:name!user",
    "read:users:groups!user",
]
# A server left idle (the tab closed) stops after an hour, giving back its memory.
c.Spawner.args = ["--ServerApp.shutdown_no_activity_timeout=3600"]
if os.environ.get("BACKSPASM_HUB_ALLOW_ROOT") == "1":
    c.Spawner.args.append("--allow-root")  # a throwaway container that runs as root (CI)
