"""The batch workload controllers, as the control plane registers them: Jobs, CronJobs, and the
container runtime's side that ends the processes Job pods run."""

from __future__ import annotations

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.container_runs import ContainerRuns
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.controllers.cronjob import CronJobController
from kubenet_nb.cluster.controllers.job import JobController
from kubenet_nb.cluster.kubelet import Kubelets
from kubenet_nb.cluster.ownership import OwnerIndex
from kubenet_nb.cluster.store import Store
from kubenet_nb.cluster.timers import Timers

__all__ = ["batch_controllers"]


def batch_controllers(
    store: Store, api: ApiServer, owners: OwnerIndex, timers: Timers, kubelets: Kubelets
) -> list[Controller]:
    """The CronJob, Job and container-exit controllers, in the order they sync."""
    return [
        CronJobController(store, api, owners, timers),
        JobController(store, api, owners, timers),
        ContainerRuns(store, kubelets, timers, api.clock),
    ]
