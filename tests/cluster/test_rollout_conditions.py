"""The Deployment's conditions outside a rollout in flight: paused and resumed.

Source: kubernetes/kubernetes pkg/controller/deployment/sync.go checkPausedConditions and
util/deployment_util.go (PausedDeployReason, ResumedDeployReason) @ v1.33.0: Progressing Unknown
"Deployment is paused" while paused; "Deployment is resumed" when resumed, which the rollout's
status then replaces (a complete rollout: NewReplicaSetAvailable).
"""

from __future__ import annotations

from kubenet_nb import Cluster

IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.52"


def _progressing(c: Cluster) -> tuple[str, str, str]:
    conditions = c.get("deployment", "web")["status"]["conditions"]
    found = next(x for x in conditions if x["type"] == "Progressing")
    return found["status"], found["reason"], found["message"]


def test_pause_and_resume_set_the_progressing_condition() -> None:
    c = Cluster(seed=3)
    c.kubectl(f"create deployment web --image={IMAGE} --replicas=2")
    rs = c.list("replicasets", selector="app=web")[0]["metadata"]["name"]
    assert _progressing(c) == (
        "True",
        "NewReplicaSetAvailable",
        f'ReplicaSet "{rs}" has successfully progressed.',
    )
    c.kubectl("rollout pause deployment/web")
    assert _progressing(c) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    c.kubectl("set image deployment/web agnhost=registry.k8s.io/e2e-test-images/agnhost:2.53")
    assert _progressing(c) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    assert len(c.list("replicasets", selector="app=web")) == 1  # paused: no new ReplicaSet
    c.kubectl("rollout resume deployment/web")
    new = next(
        r["metadata"]["name"]
        for r in c.list("replicasets", selector="app=web")
        if r["metadata"]["name"] != rs
    )
    assert _progressing(c) == (
        "True",
        "NewReplicaSetAvailable",
        f'ReplicaSet "{new}" has successfully progressed.',
    )
