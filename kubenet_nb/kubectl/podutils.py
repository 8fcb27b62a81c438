"""Which pod and which container a kubectl verb that reaches into a pod (`logs`, `exec`) picks.

As kubernetes/kubectl pkg/util/podutils/podutils.go (the orders ActivePods and ByLogging) and
pkg/cmd/util/podcmd/podcmd.go (AllContainerNames, the defaulted first container) @ v0.33.0.
"""

from __future__ import annotations

from kubenet_nb.kubectl.command import Terminal

__all__ = ["all_containers", "by_logging", "first_container", "most_active_first"]


def _ready_since(pod: dict) -> str | None:
    """When the pod became Ready, "" when unknown; None when it is not Ready."""
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready" and condition.get("status") == "True":
            return condition.get("lastTransitionTime") or ""
    return None


def _ranking(pod: dict, phases: dict[str, int], default: int) -> tuple:
    """What both orders compare: scheduled, the phase's rank, ready, since when, the most
    restarts of a container, the creation time."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    rank = phases.get(status.get("phase") or "", default)
    since = _ready_since(pod)
    restarts = max(
        (c.get("restartCount", 0) for c in status.get("containerStatuses") or []), default=0
    )
    created = pod["metadata"].get("creationTimestamp") or ""
    return (
        0 if spec.get("nodeName") else 1,
        rank,
        0 if since is not None else 1,
        (0, since) if since else (1, ""),
        restarts,
        (0, created) if created else (1, ""),
    )


def by_logging(pod: dict) -> tuple:
    """Sort key of podutils.ByLogging: the pod whose logs are most worth reading first."""
    scheduled, rank, ready, since, restarts, created = _ranking(
        pod, {"Running": 0, "Unknown": 1, "Pending": 2}, 3
    )
    return (scheduled, rank, ready, since, -restarts, created)


def most_active_first(pod: dict) -> tuple:
    """Sort key, most active first: podutils.ActivePods reversed."""
    scheduled, rank, ready, since, restarts, created = _ranking(
        pod, {"Pending": 0, "Unknown": 1, "Running": 2}, 0
    )
    return (scheduled, -rank, ready, since, restarts, created)


def all_containers(pod: dict) -> list[dict]:
    """Every container of the pod: init, regular, ephemeral (podcmd.FindContainerByName)."""
    spec = pod.get("spec") or {}
    return [
        *(spec.get("initContainers") or []),
        *(spec.get("containers") or []),
        *(spec.get("ephemeralContainers") or []),
    ]


def _all_names(pod: dict) -> str:
    """podcmd.AllContainerNames: regular, ephemeral `(ephem)`, init `(init)`."""
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or []]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or []]
    return ", ".join(names)


def first_container(terminal: Terminal, pod: dict, quiet: bool = False) -> str:
    """The first container's name, the default when none is named; `Defaulted container "a"
    out of: a, b` on stderr (unless `quiet`) when the pod has any other container."""
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or []
    several = len(containers) > 1 or spec.get("initContainers") or spec.get("ephemeralContainers")
    if several and not quiet:
        terminal.err(f'Defaulted container "{containers[0]["name"]}" out of: {_all_names(pod)}')
    return containers[0]["name"]
