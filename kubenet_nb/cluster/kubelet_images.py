"""The kubelet's image manager: pull policy, the images each node holds, and the pull events.

k/k pkg/kubelet/images/image_manager.go @ v1.33.0 `EnsureImageExists`: `Never` uses the image
only if the node has it; `IfNotPresent` pulls once per node; `Always` pulls on every container
start. The default policy (pkg/apis/core/v1/defaults.go) is `Always` for `:latest` or no tag.
Pulls are serialized per node (the kubelet's default `serializeImagePulls: true`), so a pull
queued behind another reports the wait in its "including waiting" time.

Simulated pulls take no simulated time (containers start when they did before pulls were
modelled); their reported durations are drawn from a stream keyed by the pod's UID, the
container and the moment, so they depend on the seed but never draw from the cluster's own
random stream. A first pull costs 0.4-0.9s plus the image size at 40-120 MB/s; pulling an image
the node already holds (Always) only resolves its manifest: 0.4-1.2s.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from kubenet_nb.api.core.pod.defaults import image_pull_policy
from kubenet_nb.cluster.apiserver import ApiServer

__all__ = ["PRELOADED", "ImageManager", "full_reference", "go_duration"]

PRELOADED = frozenset(
    {
        "docker.io/kindest/kindnetd:v20250512-df8de77b",
        "docker.io/kindest/local-path-helper:v20241212-8ac705d0",
        "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a",
        "registry.k8s.io/coredns/coredns:v1.12.0",
        "registry.k8s.io/etcd:3.5.21-0",
        "registry.k8s.io/kube-apiserver:v1.33.1",
        "registry.k8s.io/kube-controller-manager:v1.33.1",
        "registry.k8s.io/kube-proxy:v1.33.1",
        "registry.k8s.io/kube-scheduler:v1.33.1",
        "registry.k8s.io/pause:3.10",
    }
)
"""What kindest/node:v1.33.1 ships in its containerd store (kind pkg/build/nodeimage): the
CNI, storage and control-plane images, on every node from the start."""

IMAGE_SIZES = {
    "docker.io/library/nginx": 72_188_133,
    "docker.io/library/busybox": 2_156_106,
    "docker.io/library/alpine": 3_653_068,
    "docker.io/library/redis": 45_063_924,
    "docker.io/library/postgres": 158_473_205,
    "docker.io/library/httpd": 58_120_617,
    "docker.io/nicolaka/netshoot": 201_545_472,
    "docker.io/hashicorp/http-echo": 3_447_210,
    "registry.k8s.io/e2e-test-images/agnhost": 52_355_232,
}
"""Approximate compressed linux/amd64 sizes by repository (the `Image size` containerd reports),
any tag; other images report DEFAULT_IMAGE_SIZE."""
DEFAULT_IMAGE_SIZE = 50_000_000


def full_reference(image: str) -> str:
    """The image as containerd names it: `nginx` -> `docker.io/library/nginx:latest`."""
    first = image.split("/", 1)[0]
    if "/" not in image:
        image = f"docker.io/library/{image}"
    elif "." not in first and ":" not in first and first != "localhost":
        image = f"docker.io/{image}"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in last:
        image += ":latest"
    return image


def _repository(reference: str) -> str:
    name = reference.split("@", 1)[0]
    head, _, last = name.rpartition("/")
    return f"{head}/{last.split(':', 1)[0]}"


def go_duration(milliseconds: int) -> str:
    """time.Duration.String of a whole number of milliseconds: `523ms`, `1.286s`, `1m2.5s`."""
    if milliseconds < 1000:
        return f"{milliseconds}ms"
    minutes, rest = divmod(milliseconds, 60_000)
    seconds = f"{rest // 1000}.{rest % 1000:03d}".rstrip("0").rstrip(".") + "s"
    return f"{minutes}m{seconds}" if minutes else seconds


class ImageManager:
    """Every node's image store and serialized puller."""

    def __init__(self, api: ApiServer, on_undo: Callable[[Callable[[], object]], None]) -> None:
        self.api = api
        self._on_undo = on_undo
        self._pulled: dict[str, set[str]] = {}
        self._busy_until: dict[str, float] = {}

    def present(self, node: str, image: str) -> bool:
        reference = full_reference(image)
        return reference in PRELOADED or reference in self._pulled.get(node, ())

    def ensure(self, pod: dict, container: dict, node: str) -> tuple[str, str] | None:
        """EnsureImageExists with its events: None, or the (reason, message) to wait with."""
        image = container["image"]
        policy = container.get("imagePullPolicy") or image_pull_policy(image)
        present = self.present(node, image)
        if policy == "Never" or (policy == "IfNotPresent" and present):
            if present:
                message = f'Container image "{image}" already present on machine'
                self.api.record_event(pod, "Normal", "Pulled", "kubelet", message)
                return None
            message = f'Container image "{image}" is not present with pull policy of Never'
            self.api.record_event(pod, "Warning", "ErrImageNeverPull", "kubelet", message)
            return "ErrImageNeverPull", message
        self.api.record_event(pod, "Normal", "Pulling", "kubelet", f'Pulling image "{image}"')
        pull, waited = self._pull(pod, container, node, present)
        size = IMAGE_SIZES.get(_repository(full_reference(image)), DEFAULT_IMAGE_SIZE)
        message = (
            f'Successfully pulled image "{image}" in {go_duration(pull)} '
            f"({go_duration(waited)} including waiting). Image size: {size} bytes."
        )
        self.api.record_event(pod, "Normal", "Pulled", "kubelet", message)
        return None

    def _pull(self, pod: dict, container: dict, node: str, present: bool) -> tuple[int, int]:
        """The pull's own milliseconds and those including its wait in the node's queue."""
        now = self.api.clock.seconds
        draw = random.Random(f"{pod['metadata']['uid']}/{container['name']}/{now!r}")
        image = full_reference(container["image"])
        if present:
            seconds = draw.uniform(0.4, 1.2)
        else:
            size = IMAGE_SIZES.get(_repository(image), DEFAULT_IMAGE_SIZE)
            seconds = draw.uniform(0.4, 0.9) + size / draw.uniform(40e6, 120e6)
        start = max(now, self._busy_until.get(node, now))
        before = self._busy_until.get(node)
        self._busy_until[node] = start + seconds
        self._on_undo(lambda: self._restore_busy(node, before))
        if not present:
            self._pulled.setdefault(node, set()).add(image)
            self._on_undo(lambda: self._pulled[node].discard(image))
        pull = int(seconds * 1000)
        return pull, int((start - now + seconds) * 1000)

    def _restore_busy(self, node: str, before: float | None) -> None:
        if before is None:
            self._busy_until.pop(node, None)
        else:
            self._busy_until[node] = before
