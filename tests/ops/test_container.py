"""The container image and the compose file (ADR 0028), checked without a container
engine: the Dockerfile lints (hadolint, a dev dependency) and has the promised shape
(several stages, static files collected at build, a final stage without build tools that
runs as a user other than root); the compose file has app, worker, migrate, PostgreSQL,
Redis and object storage wired together; every LOTUS setting either of them sets is one
LOTUS reads and docs/deploy.md describes; and what the image runs works: static files
collected the way the build collects them, and the production settings, with the
image's environment, accept `lotus serve`, `lotus worker` and `lotus migrate`.

Building and starting the image itself is scripts/container_smoke.sh (and, on these
machines, scripts/container_ci.sh, which first makes what the engine needs here; ADR 0028):
minutes of work, so not part of the suite.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from secrets import token_urlsafe

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DEPLOY_DOC = (ROOT / "docs" / "deploy.md").read_text()


def stages() -> dict[str, list[tuple[str, str]]]:
    """Stage name -> its (instruction, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    found: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, arguments = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            current = arguments.split(" AS ")[-1].strip() if " AS " in arguments else arguments
            found[current] = []
        elif current is not None:
            found[current].append((instruction, arguments.strip()))
    return found


def image_environment() -> dict[str, str]:
    env = {}
    for instruction, arguments in stages()["runtime"]:
        if instruction == "ENV":
            for item in shlex.split(arguments):
                name, _, value = item.partition("=")
                env[name] = value
    return env


def test_the_dockerfile_lints():
    hadolint = Path(sys.executable).with_name("hadolint")
    if not hadolint.exists():
        pytest.skip("hadolint is not installed (uv sync installs it with the dev dependencies)")
    result = subprocess.run([str(hadolint), str(ROOT / "Dockerfile")], capture_output=True, text=True,  # noqa: S603
                            check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_built_in_stages_and_runs_without_build_tools_as_a_user():
    found = stages()
    assert list(found) == ["assets", "build", "runtime"]
    build_runs = " ".join(arguments for instruction, arguments in found["build"] if instruction == "RUN")
    assert "collectstatic --no-input" in build_runs
    assert "npm ci" in " ".join(arguments for instruction, arguments in found["assets"] if instruction == "RUN")
    runtime = found["runtime"]
    runtime_runs = " ".join(arguments for instruction, arguments in runtime if instruction == "RUN")
    for tool in ("gcc", "build-essential", "npm", "nodejs", "uv ", "pip install", "make"):
        assert tool not in runtime_runs, f"{tool} in the final image"
    copies = [arguments for instruction, arguments in runtime if instruction == "COPY"]
    assert all(copy.startswith("--from=build ") for copy in copies), copies  # only what the build made
    assert any("/opt/lotus/static" in copy for copy in copies)
    (user,) = [arguments for instruction, arguments in runtime if instruction == "USER"]
    assert user.split(":")[0] not in ("root", "0")
    assert ("ENTRYPOINT", '["lotus"]') in runtime
    assert ("CMD", '["serve"]') in runtime
    assert image_environment()["DJANGO_SETTINGS_MODULE"] == "lotus.config.settings.production"


def test_the_compose_file_runs_app_worker_and_their_services():
    services = COMPOSE["services"]
    assert {"app", "worker", "migrate", "postgres", "redis", "minio", "bucket"} <= set(services)
    assert services["app"]["command"] == ["serve"]
    assert services["worker"]["command"] == ["worker"]
    assert services["migrate"]["command"][0] == "migrate"
    for name in ("app", "worker"):
        assert services[name]["build"] == "."
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        environment = services[name]["environment"]
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert environment["LOTUS_DOCUMENT_STORAGE"] == "s3"
        assert environment["LOTUS_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert environment["DATABASE_URL_FILE"].startswith("/run/secrets/")
        # secrets only as files, never as values in the file
        assert not any(key in environment for key in ("SECRET_KEY", "LOTUS_AUDIT_KEY", "DATABASE_URL"))
    assert services["app"]["ports"] == ["127.0.0.1:8000:8000"]  # for a proxy on the machine only


def settings_named() -> set[str]:
    names = set(image_environment())
    for service in COMPOSE["services"].values():
        names |= set(service.get("environment") or {})
    return {name for name in names if name.startswith("LOTUS_") or name in ("REDIS_URL", "ALLOWED_HOSTS")}


def test_every_setting_they_set_is_described_in_the_deployment_guide():
    for name in settings_named():
        plain = name.removesuffix("_FILE")
        assert f"`{plain}`" in DEPLOY_DOC or f"`{name}`" in DEPLOY_DOC, f"{name} is not in docs/deploy.md"


@pytest.fixture
def image_env(tmp_path) -> dict[str, str]:
    """The image's environment on this machine: its ENV lines, the compose file's app
    settings (with secrets as files), and this checkout's interpreter."""
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "secret_key").write_text(token_urlsafe(50))
    (secrets / "audit_key").write_text(token_urlsafe(40))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LOTUS_", "DATABASE_URL", "REDIS_URL", "DJANGO_"))}
    env.update({key: str(value) for key, value in COMPOSE["services"]["app"]["environment"].items()})
    env.update(image_environment())
    env.update(
        SECRET_KEY_FILE=str(secrets / "secret_key"), LOTUS_AUDIT_KEY_FILE=str(secrets / "audit_key"),
        LOTUS_VAR_DIR=str(tmp_path / "var"), LOTUS_STATIC_ROOT=str(tmp_path / "static"),
        LOTUS_S3_SECRET_ACCESS_KEY="not-used-here", LOTUS_METRICS_DIR=str(tmp_path / "metrics"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    for name in ("DATABASE_URL_FILE", "LOTUS_S3_SECRET_ACCESS_KEY_FILE"):
        env.pop(name, None)
    return env


def lotus(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lotus.cli", *args], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_what_the_image_runs_works_with_its_environment(image_env, tmp_path):
    # The build's collectstatic (base settings, into the image's static folder) ...
    build_env = dict(image_env, DJANGO_SETTINGS_MODULE="lotus.config.settings.base")
    collected = lotus(build_env, "collectstatic", "--no-input", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    assert list((tmp_path / "static" / "nhsuk").rglob("*.css")), "NHS.UK styles not collected"

    # ... and the commands the image and the compose file run, under the production
    # settings with the image's environment (one process: each start costs seconds).
    shown = lotus(image_env, "shell", "-c", (
        "import json; from django.conf import settings; from django.core.management import get_commands, "
        "load_command_class; from lotus.ops.serve import gunicorn_argv; commands = get_commands(); "
        "[load_command_class(commands[name], name) for name in ('serve', 'worker', 'migrate')]; "
        "print(json.dumps([' '.join(gunicorn_argv()), str(settings.STATIC_ROOT), "
        "settings.CACHES['default']['BACKEND'], settings.LOTUS_DOCUMENT_STORAGE]))"))
    assert shown.returncode == 0, shown.stderr
    argv, static_root, cache, documents = json.loads(shown.stdout.strip().splitlines()[-1])
    assert "--bind 0.0.0.0:8000" in argv
    assert (static_root, cache, documents) == (str(tmp_path / "static"), "lotus.core.cache.FailSoftRedisCache", "s3")


def test_a_container_engine_is_reported_not_assumed():
    """scripts/container_smoke.sh says what it could not do rather than pass quietly."""
    script = (ROOT / "scripts" / "container_smoke.sh").read_text()
    assert "podman" in script and "docker" in script
    assert "exit 3" in script  # no engine, or no base image: a distinct exit, never 0
    if not (shutil.which("podman") or shutil.which("docker")):
        result = subprocess.run(["bash", str(ROOT / "scripts" / "container_smoke.sh")], cwd=ROOT,  # noqa: S603, S607
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 3
        assert "no container engine" in result.stdout + result.stderr
