"""deploy/jupyterhub/values.yaml fits the Zero to JupyterHub chart's schema and agrees with the hub config."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from traitlets.config import Config

from backspasm_edu.instructor.access import DEFAULT_INSTRUCTOR_GROUP

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub"


def load(name: str) -> Any:
    """A YAML file of deploy/jupyterhub."""
    return yaml.safe_load((DEPLOY / name).read_text(encoding="utf-8"))


def problems(values: Any) -> list[str]:
    """Where ``values`` breaks the chart's schema, as "path: message" lines."""
    validator = Draft7Validator(load("values.schema.yaml"))
    return sorted(
        f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(values)
    )


def hub_config(monkeypatch) -> Config:
    """The configuration jupyterhub_config.py gives JupyterHub, read without JupyterHub."""
    monkeypatch.setenv("BACKSPASM_HUB_PASSWORD", "a-class-password")
    config = Config()
    path = DEPLOY / "jupyterhub_config.py"
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    exec(code, {"get_config": lambda: config, "__file__": str(path)})
    return config


def test_values_fit_the_charts_schema() -> None:
    """Every key values.yaml sets is one the chart documents, with a value of its type."""
    assert problems(load("values.yaml")) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("cull", "enabeld"), True, "cull: Additional properties are not allowed ('enabeld'"),
        (("singleuser", "memory", "limit"), ["1G"], "singleuser.memory.limit: ['1G'] is not of"),
        (("prePuller", "continuous", "enabled"), "yes", "prePuller.continuous.enabled: 'yes'"),
    ],
)
def test_a_misspelt_key_or_a_wrong_type_is_caught(path, value, expected) -> None:
    """The schema check refuses a key the chart does not know and a value of the wrong type."""
    values = copy.deepcopy(load("values.yaml"))
    *parents, last = path
    target = values
    for key in parents:
        target = target[key]
    target[last] = value
    assert any(line.startswith(expected) for line in problems(values)), problems(values)


def test_the_chart_and_the_one_machine_hub_give_students_the_same_hub_rights(monkeypatch) -> None:
    """Both deployments give the server token the same scopes and name the group class results open for."""
    values = load("values.yaml")
    config = hub_config(monkeypatch)
    hub = values["hub"]["config"]
    assert hub["Spawner"]["server_token_scopes"] == config.Spawner.server_token_scopes
    assert "read:users:groups!user" in config.Spawner.server_token_scopes
    assert list(hub["JupyterHub"]["load_groups"]) == [DEFAULT_INSTRUCTOR_GROUP]
    assert list(config.JupyterHub.load_groups) == [DEFAULT_INSTRUCTOR_GROUP]
    group_env = "BACKSPASM_EDU_INSTRUCTOR_GROUP"
    assert values["singleuser"]["extraEnv"][group_env] == DEFAULT_INSTRUCTOR_GROUP
    assert config.Spawner.environment[group_env] == DEFAULT_INSTRUCTOR_GROUP


def test_the_singleuser_image_gets_jupyterhub_at_the_charts_major_version() -> None:
    """The image build adds hub-requirements.txt, whose JupyterHub is 5.x, the major of chart 4.x."""
    header = (DEPLOY / "values.yaml").read_text(encoding="utf-8")
    assert "--requirement deploy/jupyterhub/hub-requirements.txt" in header
    assert "--version '>=4,<5'" in header
    pins = (DEPLOY / "hub-requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^jupyterhub==5\.\d+\.\d+$", pins, re.M)
