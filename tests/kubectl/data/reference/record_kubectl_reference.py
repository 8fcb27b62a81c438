"""Record what the real kubectl prints and sends for each case in cases.yaml (run by hand).

    python3 tests/kubectl/data/reference/record_kubectl_reference.py [path/to/kubectl]

Each case runs against `fake_apiserver.FakeApiServer` loaded with its fixture sets, and lands in
`<group>/<name>.yaml` beside this file: the exact command, the fixtures, the exit code, stdout,
stderr, every write request kubectl sent (`sent`: method, path, body; protobuf bodies are
reduced to kind and metadata) and, for commands that build objects, the `built` object. The client
version is written to `kubectl-version.txt`.
"""

from __future__ import annotations

import copy
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent

__all__ = ["record"]

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"
"""The gcloud SDK's v1.33 client (/usr/bin/kubectl dispatches by server version)."""

BUILDERS = ("create", "run", "expose")
"""Groups whose successful cases are run again with `--dry-run=client -o yaml`: the object kubectl
builds before sending it (kubectl v1.33 sends built-in types as protobuf), kept as `built`."""

KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: kind-kind
  cluster: {{server: "{url}"}}
users:
- name: kind-kind
  user: {{}}
contexts:
- name: kind-kind
  context: {{cluster: kind-kind, user: kind-kind}}
current-context: kind-kind
"""


class _Dumper(yaml.SafeDumper):
    """Block scalars for multi-line text, so the recorded output reads as printed."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def record(kubectl: str = KUBECTL) -> None:
    """Run every case and write its record file."""
    sys.path.insert(0, str(HERE))
    from fake_apiserver import FakeApiServer

    fixtures = yaml.safe_load((HERE / "fixtures.yaml").read_text())
    cases = yaml.safe_load((HERE / "cases.yaml").read_text())
    api = FakeApiServer()
    home = tempfile.mkdtemp(prefix="kubectl-ref-")
    config = Path(home, "config")
    config.write_text(KUBECONFIG.format(url=api.url))
    env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "KUBECONFIG": str(config), "LANG": "C"}
    version = subprocess.run(
        [kubectl, "version", "--client"], env=env, capture_output=True, text=True, check=True
    )
    (HERE / "kubectl-version.txt").write_text(version.stdout)
    try:
        for group, entries in cases.items():
            (HERE / group).mkdir(exist_ok=True)
            for case in entries:
                _run_case(api, kubectl, env, fixtures, group, case)
    finally:
        api.close()


def _run_case(
    api: Any,
    kubectl: str,
    env: dict[str, str],
    fixtures: dict[str, list[dict]],
    group: str,
    case: dict[str, Any],
) -> None:
    names = ["base", *case.get("fixtures", [])]
    api.load([copy.deepcopy(obj) for name in names for obj in fixtures[name]])
    line, _, stdin = case["command"].partition("\n")
    argv = shlex.split(line)
    assert argv[0] == "kubectl", line
    proc = subprocess.run(
        [kubectl, *argv[1:]], env=env, input=stdin, capture_output=True, text=True, timeout=60
    )
    result: dict[str, Any] = {"command": line}
    if stdin:
        result["stdin"] = stdin
    result.update(
        {
            "fixtures": names,
            "exit_code": proc.returncode,
            "stdout": proc.stdout,
            "stderr": proc.stderr,
            "sent": list(api.writes),
        }
    )
    if group in BUILDERS and proc.returncode == 0 and "--dry-run" not in argv:
        api.load([copy.deepcopy(obj) for name in names for obj in fixtures[name]])
        dash = argv.index("--") if "--" in argv else len(argv)
        dry = [*argv[1:dash], "--dry-run=client", "-o", "yaml", *argv[dash:]]
        built = subprocess.run(
            [kubectl, *dry],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        result["built"] = built.stdout
    path = HERE / group / f"{case['name']}.yaml"
    path.write_text(yaml.dump(result, Dumper=_Dumper, sort_keys=False, width=1000))


if __name__ == "__main__":
    record(*sys.argv[1:2])
