"""What the control plane and kind's addons create at start-up, besides nodes and workloads.

One module per family: service_accounts, config_maps, rbac (with rbac_policy), cluster_objects
(StorageClass, PriorityClasses, bootstrap token, ServiceCIDR) and leases; `writer` gives these
objects a uid stream of their own.
"""

from __future__ import annotations

import functools
from datetime import datetime

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.bootstrap.cluster_objects import cluster_objects
from kubenet_nb.cluster.bootstrap.config_maps import system_config_maps
from kubenet_nb.cluster.bootstrap.leases import control_plane_leases, node_lease
from kubenet_nb.cluster.bootstrap.rbac import rbac_objects
from kubenet_nb.cluster.bootstrap.service_accounts import system_service_accounts
from kubenet_nb.cluster.clock import format_time
from kubenet_nb.cluster.kind import KindSettings
from kubenet_nb.cluster.randomness import Randomness
from kubenet_nb.cluster.store import Store

__all__ = ["create_leases", "seed_system_objects"]


@functools.lru_cache(maxsize=16)
def _system_objects(settings: KindSettings, now: datetime) -> tuple[dict, ...]:
    """The objects `create_system_objects` writes, built once per settings and boot time."""
    return (
        *system_service_accounts(),
        *system_config_maps(settings, now.date().isoformat()),
        *cluster_objects(settings, now),
        *rbac_objects(),
    )


def _fresh(template: dict) -> dict:
    """A cluster's own object from a template: new top level and metadata; the rest is shared,
    as stored objects are never written in place (see `Store`)."""
    return {**template, "metadata": dict(template["metadata"])}


def seed_system_objects(
    store: Store, randomness: Randomness, settings: KindSettings, now: datetime
) -> None:
    """The accounts, ConfigMaps, RBAC and cluster objects, stored before anything watches the
    store (nothing reacts to their creation, and 200 writes through every watcher would slow
    each new cluster down by half); uids from the cluster's own stream."""
    timestamp = format_time(now)
    for template in _system_objects(settings, now):
        obj = _fresh(template)
        obj["metadata"].update(uid=randomness.uid(), creationTimestamp=timestamp)
        store.create(obj)


def create_leases(writer: ApiServer, nodes: list[dict], now: datetime) -> None:
    """Each node's heartbeat Lease and the control plane's Leases, once the nodes are up."""
    hostname = nodes[0]["metadata"]["name"]
    uids = [writer.random.uid() for _ in range(3)]
    for obj in (*(node_lease(n, now) for n in nodes), *control_plane_leases(hostname, uids, now)):
        writer.create(obj, trusted=True, copied=True)
