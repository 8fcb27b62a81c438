"""`kubectl rollout`: the recorded real-kubectl session replayed in order, and the engine's side.

Source: the real kubectl v1.32.4 client run, command after command, against a live kubenet
cluster behind a fake API server (tests/kubectl/data/printing/record.py `record_rollout`,
rollout-scenario.yaml, rollout-cases.yaml).
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

import yaml
from recorded_cluster import DATA

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError
from kubenet_nb.kubectl.commands.rollout import HELP, RESTARTED_AT_ANNOTATION
from kubenet_nb.kubectl.main import run_kubectl


def _recorder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("record", DATA / "record.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = yaml.safe_load((DATA / "rollout-cases.yaml").read_text())


def _text(c: Cluster, line: str) -> str:
    """What kubectl printed (stdout then stderr), or its refusal as CheckErr prints it."""
    try:
        return str(run_kubectl(c.control_plane, line))
    except KubenetError as error:  # a refusal is output too
        return f"{error}\n"


def test_session_matches_recorded_kubectl() -> None:
    c = _recorder().build_rollout_cluster()
    for case in CASES:
        expected = (DATA / f"{case['name']}.txt").read_text()
        assert _text(c, case["args"]) == expected, case["name"]


def _web() -> Cluster:
    c = Cluster()
    c.apply(
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
"""
    )
    return c


def _revisions(c: Cluster) -> dict[str, str]:
    return {
        rs["spec"]["template"]["spec"]["containers"][0]["image"]: rs["metadata"]["annotations"][
            "deployment.kubernetes.io/revision"
        ]
        for rs in c.list("replicasets")
    }


def test_undo_brings_the_old_replica_set_back_under_a_new_revision() -> None:
    # pkg/controller/deployment/sync.go @ v1.33.0 getNewReplicaSet: the ReplicaSet whose template
    # matches is the new one again, its revision the highest plus one.
    c = _web()
    c.kubectl("set image deploy/web nginx=nginx:1.28")
    assert _revisions(c) == {"nginx:1.27": "1", "nginx:1.28": "2"}
    assert _text(c, "rollout undo deploy/web") == "deployment.apps/web rolled back\n"
    assert _revisions(c) == {"nginx:1.27": "3", "nginx:1.28": "2"}
    web = c.get("deploy", "web")
    assert web["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert "pod-template-hash" not in web["spec"]["template"]["metadata"]["labels"]
    images = {
        p["spec"]["containers"][0]["image"]
        for p in c.list("pods", selector="app=web")
        if not p["metadata"].get("deletionTimestamp")
    }
    assert images == {"nginx:1.27"}


def test_restart_stamps_the_template_with_the_cluster_clock() -> None:
    c = _web()
    c.advance(90)
    assert _text(c, "rollout restart deploy/web") == "deployment.apps/web restarted\n"
    template = c.get("deploy", "web")["spec"]["template"]
    now = c.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert template["metadata"]["annotations"] == {RESTARTED_AT_ANNOTATION: now}
    assert len(c.list("replicasets")) == 2
    # rollout_restart.go: the same second twice makes an empty patch, which kubectl refuses.
    assert _text(c, "rollout restart deploy/web") == (
        "error: failed to create patch for web: if restart has already been triggered within "
        "the past second, please wait before attempting to trigger another\n"
    )
    assert len(c.list("replicasets")) == 2
    c.advance(1)
    assert _text(c, "rollout restart deploy/web -o name") == "deployment.apps/web\n"
    assert len(c.list("replicasets")) == 3


def test_change_cause_follows_the_deployment_onto_its_new_replica_set() -> None:
    # deployment_util.go @ v1.33.0 copyDeploymentAnnotationsToReplicaSet; history.go getChangeCause.
    c = _web()
    c.kubectl("annotate deploy web kubernetes.io/change-cause=first")
    c.kubectl("set image deploy/web nginx=nginx:1.28")
    c.kubectl("annotate deploy web kubernetes.io/change-cause=second --overwrite")
    assert _text(c, "rollout history deploy/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         second\n\n"
    )


def test_status_of_a_rollout_in_progress() -> None:
    # rollout_status.go @ v0.33.0: the first condition not met is the line printed.
    c = _web()
    c.kubectl("rollout pause deploy/web")
    c.kubectl("set image deploy/web nginx=nginx:1.28")
    assert _text(c, "rollout status deploy/web") == (
        'Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been '
        "updated...\n"
    )
    assert _text(c, "rollout history deploy/web --revision=1").startswith(
        "deployment.apps/web with revision #1\nPod Template:\n"
    )


def test_help_goes_to_stdout_with_status_one() -> None:
    out = run_kubectl(_web().control_plane, "rollout")
    assert (str(out), out.exit_code, out.stderr) == (HELP + "\n", 1, "")
