"""The pods/ephemeralcontainers subresource, and the kubelet starting what it adds.

`kubectl debug POD --image=...` patches a pod's `spec.ephemeralContainers` through this
subresource (the only way to change that list: a pod update may not). The API server checks
the new container as ValidatePodEphemeralContainersUpdate does (kubernetes/kubernetes
pkg/apis/core/validation/validation.go @ v1.33.0): its name must be new among the pod's
containers (`spec.ephemeralContainers[0].name: Duplicate value: "web"`), it needs an image,
and `targetContainerName` must name one of the pod's containers or init containers; it is
defaulted as a container (imagePullPolicy, terminationMessagePath...). The kubelet of a
scheduled pod starts it at once, in the pod's namespaces; an ephemeral container is never
restarted. The process it runs is the caller's (kubectl runs the simulated tool): when it has
already ended, its status is `terminated` with the exit code, else `running`.
"""

from __future__ import annotations

import copy
import hashlib
from typing import TYPE_CHECKING

from kubenet_nb.api.core.pod.defaults import default_container
from kubenet_nb.api.errors import FieldError, Invalid
from kubenet_nb.cluster.kubelet_images import full_reference
from kubenet_nb.cluster.kubelet_restarts import terminated_state

if TYPE_CHECKING:
    from kubenet_nb.cluster.apiserver import ApiServer

__all__ = ["add_ephemeral_container", "ephemeral_errors"]


def ephemeral_errors(pod: dict, container: dict) -> list[FieldError]:
    """What the API server refuses in `container` added as the pod's next ephemeral one."""
    spec = pod.get("spec") or {}
    field = f"spec.ephemeralContainers[{len(spec.get('ephemeralContainers') or [])}]"
    others = [
        c["name"] for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]
    ]
    every = others + [c["name"] for c in spec.get("ephemeralContainers") or []]
    errors = []
    name = container.get("name") or ""
    if not name:
        errors.append(FieldError.required(f"{field}.name"))
    elif name in every:
        errors.append(FieldError.duplicate(f"{field}.name", name))
    if not container.get("image"):
        errors.append(FieldError.required(f"{field}.image"))
    target = container.get("targetContainerName")
    if target and target not in others:
        errors.append(FieldError.not_found(f"{field}.targetContainerName", target))
    return errors


def _status(pod: dict, container: dict, now: str, exit_code: int | None) -> dict:
    """The kubelet's ContainerStatus of the ephemeral container it started at `now`."""
    seed = f"{pod['metadata']['uid']}/{container['name']}".encode()
    container_id = "containerd://" + hashlib.sha256(seed).hexdigest()  # 64 hex, as containerd
    if exit_code is None:
        state: dict = {"running": {"startedAt": now}}
    else:
        state = terminated_state(exit_code, now, now, container_id)
    return {
        "name": container["name"],
        "image": full_reference(container["image"]),
        "imageID": "",
        "containerID": container_id,
        "ready": False,
        "restartCount": 0,
        "state": state,
        "lastState": {},
    }


def add_ephemeral_container(
    api: ApiServer, pod: dict, container: dict, exit_code: int | None = None
) -> dict:
    """Add `container` to the pod's ephemeral containers; on a scheduled pod the kubelet
    starts it (its process ended with `exit_code`, or still runs when None)."""
    errors = ephemeral_errors(pod, container)
    meta = pod["metadata"]
    if errors:
        raise Invalid("Pod", meta["name"], errors)
    added = copy.deepcopy(container)
    default_container(added)
    new = copy.deepcopy(pod)
    new["spec"]["ephemeralContainers"] = [*(pod["spec"].get("ephemeralContainers") or []), added]
    stored = api.update(new, trusted=True)
    if not pod["spec"].get("nodeName"):
        return stored
    status = copy.deepcopy(stored.get("status") or {})
    statuses = status.get("ephemeralContainerStatuses") or []
    status["ephemeralContainerStatuses"] = [
        *statuses,
        _status(stored, added, api.clock.timestamp(), exit_code),
    ]
    return api.set_status(stored, status)
