"""Table cells for StatefulSets, ReplicationControllers, PodTemplates and ControllerRevisions.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0: `printStatefulSet`
(READY = ready/desired), `printReplicationController`, `printPodTemplate` and
`printControllerRevision` (CONTROLLER = `kind.group/name` of the controller owner reference).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column, format_labels
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, meta, name, spec, status
from kubenet_nb.kubectl.printers.workloads import container_cells

__all__ = ["PRINTERS"]


def _statefulset_row(sts: dict, now: datetime) -> list[Any]:
    names, images = container_cells(spec(sts).get("template") or {})
    ready = f"{status(sts).get('readyReplicas', 0)}/{spec(sts).get('replicas', 1)}"
    return [name(sts), ready, object_age(sts, now), names, images]


def _replicationcontroller_row(rc: dict, now: datetime) -> list[Any]:
    names, images = container_cells(spec(rc).get("template") or {})
    return [
        name(rc),
        spec(rc).get("replicas", 1),
        status(rc).get("replicas", 0),
        status(rc).get("readyReplicas", 0),
        object_age(rc, now),
        names,
        images,
        format_labels(spec(rc).get("selector")),
    ]


def _podtemplate_row(pt: dict, now: datetime) -> list[Any]:
    template = pt.get("template") or {}
    names, images = container_cells(template)
    return [name(pt), names, images, format_labels(meta(template).get("labels"))]


def _controller_name(revision: dict) -> str:
    """`formatResourceName` of `GetControllerOf`: `statefulset.apps/web`, or `<none>`."""
    owners = meta(revision).get("ownerReferences") or []
    owner = next((o for o in owners if o.get("controller")), None)
    if owner is None:
        return "<none>"
    group = owner.get("apiVersion", "").rpartition("/")[0]
    kind = owner.get("kind", "")
    group_kind = f"{kind}.{group}" if group else kind
    return f"{group_kind.lower()}/{owner.get('name', '')}" if group_kind else owner.get("name", "")


def _controllerrevision_row(revision: dict, now: datetime) -> list[Any]:
    return [
        name(revision),
        _controller_name(revision),
        revision.get("revision", 0),
        object_age(revision, now),
    ]


PRINTERS = {
    "StatefulSet": Printer(
        (NAME, Column("Ready"), AGE, Column("Containers", 1), Column("Images", 1)),
        _statefulset_row,
    ),
    "ReplicationController": Printer(
        (
            NAME,
            Column("Desired"),
            Column("Current"),
            Column("Ready"),
            AGE,
            Column("Containers", 1),
            Column("Images", 1),
            Column("Selector", 1),
        ),
        _replicationcontroller_row,
    ),
    "PodTemplate": Printer(
        (NAME, Column("Containers"), Column("Images"), Column("Pod Labels")), _podtemplate_row
    ),
    "ControllerRevision": Printer(
        (NAME, Column("Controller"), Column("Revision"), AGE), _controllerrevision_row
    ),
}
