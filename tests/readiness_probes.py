"""Test helpers: workloads whose containers define a readinessProbe, so that `set_ready` can
make it fail (the kubelet reports a container without one ready while it runs)."""

from __future__ import annotations

import copy
from typing import Any

import yaml

__all__ = ["create_deployment", "run_pod", "with_probe"]


def with_probe(manifest: dict, probe: dict | None = None) -> dict:
    """A copy whose containers (a Pod's or a workload template's) each get a readinessProbe:
    `probe`, or an HTTP GET of / on the container's first port (80 without one)."""
    manifest = copy.deepcopy(manifest)
    spec = manifest["spec"]
    spec = spec["template"]["spec"] if "template" in spec else spec
    for container in spec["containers"]:
        port = next((p["containerPort"] for p in container.get("ports") or ()), 80)
        container["readinessProbe"] = probe or {"httpGet": {"path": "/", "port": port}}
    return manifest


def _created(cluster: Any, command: str, probe: dict | None) -> dict:
    head, dash, tail = command.partition(" -- ")
    printed = cluster.kubectl(f"{head} --dry-run=client -o yaml{dash}{tail}")
    return cluster.create(with_probe(yaml.safe_load(str(printed)), probe))


def create_deployment(cluster: Any, args: str, probe: dict | None = None) -> dict:
    """`kubectl create deployment ARGS`, its containers with a readinessProbe."""
    return _created(cluster, f"create deployment {args}", probe)


def run_pod(cluster: Any, args: str, probe: dict | None = None) -> dict:
    """`kubectl run ARGS`, its container with a readinessProbe."""
    return _created(cluster, f"run {args}", probe)
