"""The Docker image and the compose file agree with each other and with the Settings:
every QA_* variable they set is a real setting with a valid value, the ports, volumes and
health checks line up. (No Docker engine is needed; `compose config` runs when present.)"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml

from core.settings import REPO_ROOT, Settings

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
APP = COMPOSE["services"]["app"]
_DEFAULT = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (REPO_ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def final_stage() -> list[tuple[str, str]]:
    steps = dockerfile()
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[last_from:]


def dockerfile_env(steps) -> dict[str, str]:
    env = {}
    for op, args in steps:
        if op == "ENV":
            env |= dict(pair.split("=", 1) for pair in shlex.split(args))
    return env


def compose_env() -> dict[str, str]:
    """The app's environment with ${VAR:-default} resolved to its default."""
    return {k: _DEFAULT.sub(lambda m: m.group(2) or "", str(v)) for k, v in APP["environment"].items()}


def settings_from(env: dict[str, str], monkeypatch) -> Settings:
    for key in [k for k in os.environ if k.startswith("QA_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings(_env_file=None)


def setting_name(variable: str) -> str:
    return variable.removeprefix("QA_").lower()


@pytest.mark.parametrize("source", ["compose", "dockerfile"])
def test_every_qa_variable_is_a_setting(source):
    env = compose_env() if source == "compose" else dockerfile_env(dockerfile())
    variables = [k for k in env if k.startswith("QA_")]
    assert variables
    unknown = [k for k in variables if setting_name(k) not in Settings.model_fields]
    assert not unknown, f"not fields of core.settings.Settings: {unknown}"


def test_the_compose_environment_is_valid_configuration(monkeypatch):
    settings = settings_from(compose_env(), monkeypatch)
    assert settings.host == "0.0.0.0" and settings.port == 8000
    assert settings.api_keys == [] and settings.cors_origins == []  # closed by default, keys optional
    assert settings.slack_signing_secret is None and settings.openai_api_key is None  # blank = unset


def test_the_image_environment_is_valid_configuration(monkeypatch):
    settings = settings_from({k: v for k, v in dockerfile_env(final_stage()).items() if k.startswith("QA_")},
                             monkeypatch)
    assert settings.host == "0.0.0.0"


def test_the_app_publishes_its_port_and_keeps_index_and_feedback_on_volumes():
    env = compose_env()
    assert f"{env['QA_PORT']}:{env['QA_PORT']}" in APP["ports"]
    mounts = {target: source for source, target, *_ in (v.split(":") for v in APP["volumes"])}
    assert mounts[env["QA_INDEX_DIR"]] in COMPOSE["volumes"]
    assert mounts[str(PurePosixPath(env["QA_FEEDBACK_DB"]).parent)] in COMPOSE["volumes"]


def test_the_compose_health_check_probes_healthz_on_the_app_port():
    check = " ".join(APP["healthcheck"]["test"])
    assert f"127.0.0.1:{compose_env()['QA_PORT']}/healthz" in check
    assert APP["healthcheck"]["start_period"]


def test_the_llm_server_is_optional_and_wired_to_the_openai_backend():
    llm = COMPOSE["services"]["llm"]
    assert llm["profiles"] == ["llm-server"]
    assert "llama.cpp" in llm["image"]
    base_url = urlsplit(compose_env()["QA_OPENAI_BASE_URL"])
    assert base_url.hostname == "llm" and str(base_url.port) in llm["command"]
    model = llm["command"][llm["command"].index("-m") + 1]
    model_volume = next(v for v in llm["volumes"] if v.split(":")[1] == str(PurePosixPath(model).parent))
    assert model_volume.split(":")[0] in [v.split(":")[0] for v in APP["volumes"]]


def test_the_image_is_slim_cpu_only_and_builds_model_and_index():
    steps = dockerfile()
    assert all(args.split()[0].startswith("python:3.11-slim") for op, args in steps if op == "FROM")
    runs = " ".join(args for op, args in steps if op == "RUN")
    assert "torch==2.13.0" in runs and "download.pytorch.org/whl/cpu" in runs
    assert '".[local]"' in runs
    assert "qa llm prepare" in runs and "qa index build" in runs


def test_the_image_runs_the_service_as_a_non_root_user_on_the_published_port():
    steps = final_stage()
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    env = dockerfile_env(steps)
    assert env["QA_HOST"] == "0.0.0.0"
    assert [args for op, args in steps if op == "EXPOSE"] == [env["QA_PORT"]]
    assert env["QA_INDEX_DIR"] == compose_env()["QA_INDEX_DIR"]
    assert env["QA_FEEDBACK_DB"] == compose_env()["QA_FEEDBACK_DB"]
    health = next(args for op, args in steps if op == "HEALTHCHECK")
    assert f"127.0.0.1:{env['QA_PORT']}/healthz" in health
    cmd = next(args for op, args in reversed(steps) if op == "CMD")
    assert "qa serve" in " ".join(yaml.safe_load(cmd))  # JSON (exec) form


def test_the_image_copies_what_the_service_reads_and_ignores_secrets():
    copied = [args.split()[0] for op, args in dockerfile() if op == "COPY" and not args.startswith("--")]
    for source in copied:
        assert (REPO_ROOT / source).exists(), source
    for needed in ["qa", "index", "prompts", "web", "corpus", "pyproject.toml"]:
        assert needed in copied
    ignored = (REPO_ROOT / ".dockerignore").read_text().split()
    for secret_or_bulk in [".env", ".venv", ".git", "data"]:
        assert secret_or_bulk in ignored
    assert not set(ignored) & set(copied)


def test_compose_config_validates_when_compose_is_installed():
    for command in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(command[0]):
            probe = subprocess.run([*command, "version"], capture_output=True, text=True, check=False)
            if probe.returncode == 0:
                result = subprocess.run([*command, "config", "-q"], cwd=REPO_ROOT, capture_output=True, text=True,
                                        check=False)
                assert result.returncode == 0, result.stderr
                profiled = subprocess.run([*command, "--profile", "llm-server", "config", "--services"],
                                          cwd=REPO_ROOT, capture_output=True, text=True, check=False)
                assert set(profiled.stdout.split()) == {"app", "llm"}
                return
    pytest.skip("neither `docker compose` nor `docker-compose` is installed")
