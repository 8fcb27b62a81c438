"""Replaying the recorded kubectl runs of data/verbs on kubenet-nb's own kubectl.

`data/verbs/record_verbs.py` ran the real kubectl v1.32 client for each case of `cases.yaml` against
a fake API server answered by a fresh kubenet-nb Cluster, and kept what kubectl printed and the
writes it sent (`recorded.json`). `replay` runs the same command on the same fresh Cluster with
kubenet-nb's kubectl and returns what it printed and the patches it sent, to be compared byte
for byte.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError
from kubenet_nb.kubectl import patching
from kubenet_nb.kubectl.command import Invocation
from kubenet_nb.kubectl.commands import COMMANDS
from kubenet_nb.kubectl.commands.edit import HEADER

__all__ = [
    "CASES",
    "RECORDED",
    "Replayed",
    "assert_matches_recorded",
    "build",
    "cases_named",
    "edited_buffer",
    "expected_stderr",
    "kubectl_edit_buffer",
    "recorded_patches",
    "replay",
]

DATA = Path(__file__).parent / "data" / "verbs"
CASES = {case["name"]: case for case in yaml.safe_load((DATA / "cases.yaml").read_text())}
RECORDED: dict[str, dict] = json.loads((DATA / "recorded.json").read_text())
_TEMP_FILE_LINE = "A copy of your changes has been stored to "


def _recorder() -> ModuleType:
    """data/verbs/record_verbs.py, for its scenario and its patch types."""
    spec = importlib.util.spec_from_file_location("verbs_record", DATA / "record_verbs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_RECORD = _recorder()


def cases_named(prefix: str) -> list[str]:
    """The recorded cases whose name starts with `prefix`, in file order."""
    return [name for name in CASES if name.startswith(prefix) and name in RECORDED]


@dataclass
class Replayed:
    """What kubenet-nb's kubectl printed and sent for one case."""

    stdout: str
    stderr: str
    exit_code: int
    patches: list[tuple[str, str]] = field(default_factory=list)


def kubectl_edit_buffer(cluster: Cluster, args: list[str]) -> str:
    """The buffer kubectl opens for `kubectl edit`: the header, then the object as `-o yaml`."""
    kind, name = (args[1].split("/") if "/" in args[1] else args[1:3])[:2]
    return HEADER + cluster.kubectl(f"get {kind} {name} -o yaml") + "\n"


def edited_buffer(name: str, opened: str) -> str:
    """What the recorder's editor saves for the case, made from the buffer `opened` (ours, on
    today's cluster: the recorded buffer carries the recording's resourceVersions)."""
    edit = CASES[name].get("edit") or {}
    text = edit.get("buffer", opened)
    for old, new in edit.get("replace", []):
        text = text.replace(old, new, 1)
    return text


def build(name: str) -> Cluster:
    """The recorded scenario after the case's setup lines."""
    cluster = _RECORD.build_cluster()
    for line in CASES[name].get("setup", []):
        cluster.kubectl(line)
    return cluster


def replay(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Replayed:
    """Run one case on a fresh scenario; files are written in a temporary working directory."""
    case, recorded = CASES[name], RECORDED[name]
    cluster = build(name)
    for filename, text in (case.get("files") or {}).items():
        (tmp_path / filename).write_text(text)
    monkeypatch.chdir(tmp_path)
    sent: list[tuple[str, str]] = []
    real_patched = patching.patched

    def logged(cp: object, live: dict, patch_type: str, body: str) -> dict:
        sent.append((patch_type, body))
        return real_patched(cp, live, patch_type, body)  # type: ignore[arg-type]

    monkeypatch.setattr(patching, "patched", logged)
    stdin = case.get("stdin", "")
    if case["args"][0] == "edit" and recorded["opened"] is not None:
        stdin = edited_buffer(name, kubectl_edit_buffer(cluster, case["args"]))
    # main.execute's dispatch, from argv: a patch given on the command line may hold newlines
    invocation = Invocation(cluster.control_plane, case["args"][1:], stdin)
    try:
        COMMANDS[case["args"][0]](invocation)
    except KubenetError as error:
        if not invocation.terminal.parts:
            return Replayed("", f"{error}\n", 1, sent)
        invocation.terminal.err(str(error))
        invocation.terminal.exit_code = 1
    terminal = invocation.terminal
    return Replayed(terminal.stdout, terminal.stderr, terminal.exit_code, sent)


def expected_stderr(name: str) -> str:
    """kubectl's stderr without the lines naming its temporary edit file (none exists here),
    and, for an edit kubectl reopened, with the reasons it wrote into the reopened buffer's
    header before its last error: what kubenet-nb's `edit` prints in their place."""
    recorded = RECORDED[name]
    lines = recorded["stderr"].splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(_TEMP_FILE_LINE)]
    if recorded.get("reopened"):
        header = recorded["reopened"].splitlines(keepends=True)[HEADER.count("\n") :]
        reasons = []
        for line in header:
            if not line.startswith("#"):
                break
            reasons.append(line)
        kept[-1:-1] = reasons
    return "".join(kept)


def recorded_patches(name: str) -> list[tuple[str, str]]:
    """The PATCH requests kubectl sent: (patch type, body)."""
    return [
        (_RECORD.PATCH_TYPES[write["content_type"]], write["body"])
        for write in RECORDED[name]["writes"]
        if write["method"] == "PATCH"
    ]


def assert_matches_recorded(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patches: bool = True
) -> None:
    """kubenet-nb's stdout, stderr, exit status and (with `patches`) PATCH requests for the
    case are the real kubectl v1.32.4's on the same scenario (data/verbs/record_verbs.py)."""
    got = replay(name, tmp_path, monkeypatch)
    recorded = RECORDED[name]
    assert got.stdout == recorded["stdout"]
    assert got.stderr == expected_stderr(name)
    assert got.exit_code == recorded["exit_code"]
    if patches:
        assert got.patches == recorded_patches(name)
