"""deploy/'s container and systemd files against the code (not marked `cluster`: in `make test`).

No container runtime runs on this machine (docs/deployment.md says what is and is not tested),
so these files are checked statically: every `manage.py` command they run exists and accepts
their options, every gunicorn command line parses with gunicorn's own parser, every file they
copy or mount exists, every SDG87_* variable they set is one the code reads, and the web port,
the settings module and the static path agree between Containerfile, compose, nginx and systemd.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import yaml
from django.core.management import get_commands, load_command_class
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PORT = "8001"


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return data


def _containerfile() -> str:
    return (DEPLOY / "Containerfile").read_text().replace("\\\n", " ")


def _unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's keys (continuation lines joined), each with all its values."""
    keys: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().replace("\\\n", " ").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def _service_commands(command: list[str]) -> list[list[str]]:
    """The command lines of a compose `command`: an argv, or `sh -c "a && b && exec c"`."""
    if command[:2] != ["sh", "-c"]:
        return [command]
    lines = [shlex.split(part) for part in command[2].split("&&")]
    return [line[1:] if line[0] == "exec" else line for line in lines]


def _manage_commands() -> list[tuple[str, list[str]]]:
    """(where, argv after `manage.py`) of every manage.py call in compose and the systemd units."""
    found = []
    for name, service in _compose()["services"].items():
        for argv in _service_commands(service.get("command") or []):
            if "manage.py" in argv:
                found.append((f"compose {name}", argv[argv.index("manage.py") + 1 :]))
    for unit in ("sdg87-worker.service", "sdg87-backup.service"):
        for key, values in _unit(unit).items():
            for value in values if key.startswith("Exec") else []:
                argv = shlex.split(value)
                if any(a.endswith("manage.py") for a in argv):
                    at = next(i for i, a in enumerate(argv) if a.endswith("manage.py"))
                    found.append((f"{unit} {key}", argv[at + 1 :]))
    return found


def test_every_manage_py_command_exists_and_takes_its_options():
    found = _manage_commands()
    names = {argv[0] for _where, argv in found}
    assert {"migrate", "load_data", "db_worker", "tasks_requeue_stale"} <= names, names
    commands = get_commands()
    for where, argv in found:
        assert argv[0] in commands, f"{where}: no command {argv[0]}"
        parser = load_command_class(commands[argv[0]], argv[0]).create_parser("manage.py", argv[0])
        # The options by name (parsing the line itself would run the command's validation of
        # the values against the test settings, e.g. db_worker's task backend).
        options = {string for action in parser._actions for string in action.option_strings}
        for token in argv[1:]:
            if token.startswith("-"):
                assert token.split("=", 1)[0] in options, f"{where}: {argv[0]} has no {token}"


def _gunicorn_lines() -> list[tuple[str, list[str]]]:
    match = re.search(r"^CMD (\[.*?\])\s*$", _containerfile(), re.M | re.S)
    assert match, "the Containerfile has no CMD [...]"
    lines = [("Containerfile CMD", json.loads(match.group(1)))]
    exec_start = _unit("sdg87-web@.service")["ExecStart"][0].replace("%i", PORT)
    lines.append(("sdg87-web@.service", shlex.split(exec_start)))
    return lines


def test_gunicorn_command_lines_parse_and_serve_the_wsgi_app_on_the_web_port():
    for where, argv in _gunicorn_lines():
        assert Path(argv[0]).name == "gunicorn", where
        args = Config().parser().parse_args(argv[1:])  # exits on an unknown option
        assert args.args == ["config.wsgi:application"], where
        assert [bind.rsplit(":", 1)[1] for bind in args.bind] == [PORT], where
        assert args.timeout == 60, where  # nginx's proxy_read_timeout (90 s) is above it
        assert args.control_socket, where  # gunicorn >= 27: not the unwritable default
        assert args.preload_app, where  # the workers share the frozen app (config/wsgi.py)
    upstream = (DEPLOY / "nginx" / "compose.conf").read_text()
    servers = re.findall(r"server (web\d):(\d+)", upstream)
    assert servers == [("web1", PORT), ("web2", PORT)]
    assert {"web1", "web2"} <= set(_compose()["services"])
    assert f"EXPOSE {PORT}" in _containerfile()


def test_settings_module_is_production_everywhere():
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in _containerfile()
    for unit in ("sdg87-web@.service", "sdg87-worker.service"):
        assert "DJANGO_SETTINGS_MODULE=config.settings.production" in _unit(unit)["Environment"]
    assert (ROOT / "config" / "settings" / "production.py").exists()


def _settings_variables() -> set[str]:
    names: set[str] = set()
    for path in [*ROOT.glob("config/**/*.py"), *ROOT.glob("sdg87/**/*.py")]:
        if "tests" in path.parts:
            continue
        text = path.read_text()
        names |= set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', text))
        names |= set(re.findall(r'"SDG87_([A-Z0-9_]+)"', text))
    return {f"SDG87_{name}" for name in names}


def test_every_variable_set_in_deploy_is_read_by_the_code():
    read = _settings_variables()
    example = (DEPLOY / "sdg87.env.example").read_text()
    in_example = set(re.findall(r"^#?\s*(SDG87_[A-Z0-9_]+)=", example, re.M))
    in_compose = set(_compose()["x-app"]["environment"])
    assert in_example and in_compose
    assert in_example - read == set(), "set in sdg87.env.example, read nowhere"
    assert in_compose - read == set(), "set in compose.yaml, read nowhere"


def test_compose_mounts_and_containerfile_copies_exist():
    compose = _compose()
    assert compose["x-app"]["build"]["context"] == ".."
    assert (DEPLOY / ".." / compose["x-app"]["build"]["dockerfile"]).resolve() == (
        DEPLOY / "Containerfile"
    )
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (DEPLOY / source).is_file(), f"{name}: {source}"
            else:
                assert source in compose["volumes"], f"{name}: undeclared volume {source}"
    for source in re.findall(r"^COPY (\S+) \S+$", _containerfile(), re.M):
        assert (ROOT / source).exists(), source
    # nginx's static path is where collectstatic writes (STATIC_ROOT = var/static), and the
    # compose nginx mounts the collected files there.
    proxy = (DEPLOY / "nginx" / "sdg87-proxy.conf").read_text()
    assert "alias /srv/sdg87/var/static/" in proxy
    assert "static:/srv/sdg87/var/static:ro" in compose["services"]["nginx"]["volumes"]
    assert "WORKDIR /srv/sdg87" in _containerfile()
    assert "WorkingDirectory=/srv/sdg87" in (DEPLOY / "systemd" / "sdg87-web@.service").read_text()


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".venv/", "var/", ".git/", "deploy/sdg87.env"):
        assert entry in ignored
