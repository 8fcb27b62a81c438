"""`kubectl describe node`'s quantities and allocated resources."""

from __future__ import annotations

from datetime import datetime, timezone

from kubenet_nb.kubectl.describe.node import describe_node

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


def test_node_allocated_resources_like_kind_control_plane() -> None:
    node = {
        "metadata": {"name": "kind-control-plane", "creationTimestamp": "2025-01-01T00:00:00Z"},
        "spec": {},
        "status": {
            "allocatable": {
                "cpu": "8",
                "memory": "32827864Ki",
                "pods": "110",
                "ephemeral-storage": "263112772Ki",
            }
        },
    }

    def pod(name: str, requests: dict, limits: dict | None = None) -> dict:
        resources = {"requests": requests, "limits": limits or {}}
        return {
            "metadata": {
                "name": name,
                "namespace": "kube-system",
                "creationTimestamp": "2025-01-01T00:00:00Z",
            },
            "spec": {"containers": [{"name": "c", "resources": resources}]},
        }

    pods = [
        pod("coredns-a", {"cpu": "100m", "memory": "70Mi"}, {"memory": "170Mi"}),
        pod("coredns-b", {"cpu": "100m", "memory": "70Mi"}, {"memory": "170Mi"}),
        pod("etcd", {"cpu": "100m", "memory": "100Mi"}),
        pod("kindnet", {"cpu": "100m", "memory": "50Mi"}, {"cpu": "100m", "memory": "50Mi"}),
        pod("kube-apiserver", {"cpu": "250m"}),
        pod("kube-controller-manager", {"cpu": "200m"}),
        pod("kube-scheduler", {"cpu": "100m"}),
    ]
    text = describe_node(node, pods, None, None, NOW)
    # The totals a fresh kind control-plane node shows with 8 CPUs.
    assert "  cpu                950m (11%)  100m (1%)\n" in text
    assert "  memory             290Mi (0%)  390Mi (1%)\n" in text
    assert "  HolderIdentity:  <unset>\n" in text
