"""The HorizontalPodAutoscaler controller as it runs on kind, where no metrics-server is installed.

Follows kubernetes pkg/controller/podautoscaler/horizontal.go @ v1.33.0 (reconcileAutoscaler,
computeReplicasForMetrics, setStatus, setConditionInList). Every HPA is synced every
`SYNC_PERIOD_SECONDS` of simulated time (--horizontal-pod-autoscaler-sync-period), first one
period after it is created, as the controller's fixed-interval rate limiter queues it. A sync reads
the target's scale subresource; a replica count outside [minReplicas, maxReplicas] is clamped
(`SuccessfulRescale`), one of 0 disables autoscaling, and otherwise every metric fails because
the resource metrics API (metrics.k8s.io) is not served: `FailedGetResourceMetric` and
`FailedComputeMetricsReplicas`, ScalingActive False, replicas unchanged. The status is written only
when it changed (updateStatusIfNeeded).
"""

from __future__ import annotations

from kubenet_nb.api.errors import KubenetError, NotFound
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller, error_text
from kubenet_nb.cluster.store import Store, WatchEvent, clone
from kubenet_nb.cluster.timers import Timers

__all__ = ["SYNC_PERIOD_SECONDS", "HorizontalController", "metric_failure"]

SYNC_PERIOD_SECONDS = 15.0
"""kube-controller-manager --horizontal-pod-autoscaler-sync-period (default 15s)."""
SOURCE = "horizontal-pod-autoscaler"
SCALABLE = {
    ("apps", "Deployment"),
    ("apps", "ReplicaSet"),
    ("apps", "StatefulSet"),
    ("", "ReplicationController"),
}
"""The built-in kinds with a scale subresource (group, kind)."""
_NO_RESOURCE = "the server could not find the requested resource"
_RESOURCE_METRICS_DOWN = (
    f"unable to fetch metrics from resource metrics API: {_NO_RESOURCE} (get pods.metrics.k8s.io)"
)
_CUSTOM_METRICS_DOWN = (
    f"unable to fetch metrics from custom metrics API: {_NO_RESOURCE} "
    "(get pods.custom.metrics.k8s.io *)"
)


class ScaleError(KubenetError):
    """Why the scale subresource of the target could not be read (FailedGetScale)."""


def metric_failure(metric: dict) -> tuple[str, str, str]:
    """computeReplicasForMetric without metrics APIs: (event reason, the metric's own error,
    the error wrapped as computeReplicasForMetrics reports it)."""
    kind = metric.get("type", "")
    if kind in ("Resource", "ContainerResource"):
        source = metric.get("resource" if kind == "Resource" else "containerResource") or {}
        name = source.get("name", "")
        target = source.get("target") or {}
        # computeStatusForResourceMetricGeneric: a value target asks for usage, else utilization
        what = "usage" if target.get("averageValue") is not None else "utilization"
        error = (
            f"failed to get {name} {what}: unable to get metrics for resource {name}: "
            f"{_RESOURCE_METRICS_DOWN}"
        )
        if kind == "Resource":
            return "FailedGetResourceMetric", error, f"failed to get {name} resource metric value"
        container = source.get("container", "")
        return (
            "FailedGetContainerResourceMetric",
            error,
            f"failed to get {container} container metric value",
        )
    field = {"Pods": "pods", "Object": "object", "External": "external"}.get(kind, "")
    name = ((metric.get(field) or {}).get("metric") or {}).get("name", "")
    error = f"unable to get metric {name}: {_CUSTOM_METRICS_DOWN}"
    if kind == "External":
        return "FailedGetExternalMetric", error, f"failed to get {name} external metric value"
    return f"FailedGet{kind}Metric", error, f"failed to get {field} metric value"


def set_condition(
    conditions: list[dict], kind: str, status: str, reason: str, message: str, now: str
) -> list[dict]:
    """setConditionInList: replace or append; the transition time moves only with the status."""
    result = [dict(c) for c in conditions]
    found = next((c for c in result if c.get("type") == kind), None)
    if found is None:
        found = {"type": kind}
        result.append(found)
    if found.get("status") != status:
        found["lastTransitionTime"] = now
    found.update(status=status, reason=reason, message=message)
    return [
        {k: c[k] for k in ("type", "status", "lastTransitionTime", "reason", "message") if k in c}
        for c in result
    ]


class HorizontalController(Controller):
    """Syncs each HPA on its own timer, every `SYNC_PERIOD_SECONDS` of simulated time."""

    name = SOURCE

    def __init__(self, store: Store, api: ApiServer, timers: Timers) -> None:
        super().__init__()
        self.store, self.api, self.timers = store, api, timers

    def handle(self, event: WatchEvent) -> None:
        if event.kind != "HorizontalPodAutoscaler" or event.replay:
            return
        if event.type == "ADDED" and event.obj is not None:
            meta = event.obj["metadata"]
            self._schedule(meta["namespace"], meta["name"], meta["uid"])

    def _schedule(self, namespace: str, name: str, uid: str) -> None:
        def tick() -> None:
            hpa = self.store.get("HorizontalPodAutoscaler", namespace, name)
            if hpa is None or hpa["metadata"]["uid"] != uid:
                return
            self.enqueue(namespace, name)
            self._schedule(namespace, name, uid)

        self.timers.at(self.api.clock.seconds + SYNC_PERIOD_SECONDS, tick)

    def reconcile(self, namespace: str, name: str) -> None:
        hpa = self.store.get("HorizontalPodAutoscaler", namespace, name)
        if hpa is None:
            return
        _Sync(self, hpa).run()

    def read_scale(self, namespace: str, ref: dict) -> dict:
        """GET .../TARGET/scale: the target object itself, or ScaleError in the server's words."""
        api_version = ref.get("apiVersion", "")
        group = api_version.split("/")[0] if "/" in api_version else ""
        kind = ref.get("kind", "")
        resources = self.store.resources
        if not resources.has_kind(kind) or resources.by_kind(kind).group != group:
            raise ScaleError(f'no matches for kind "{kind}" in group "{group}"')
        if (group, kind) not in SCALABLE:
            raise ScaleError(_NO_RESOURCE)
        info = resources.by_kind(kind)
        target = self.store.get(kind, namespace, ref.get("name", ""))
        if target is None:
            raise ScaleError(NotFound(info.plural, ref.get("name", ""), info.group).message)
        return target


class _Sync:
    """One reconcileAutoscaler: the new status is built on a copy and written if it changed."""

    def __init__(self, controller: HorizontalController, hpa: dict) -> None:
        self.controller, self.api, self.hpa = controller, controller.api, hpa
        self.status = clone(hpa.get("status") or {})
        self.original = clone(self.status)
        self.now = self.api.clock.timestamp()

    def event(self, type_: str, reason: str, message: str) -> None:
        self.api.record_event(self.hpa, type_, reason, SOURCE, message)

    def condition(self, kind: str, status: str, reason: str, message: str) -> None:
        conditions = self.status.get("conditions") or []
        self.status["conditions"] = set_condition(
            conditions, kind, status, reason, message, self.now
        )

    def run(self) -> None:
        spec = self.hpa["spec"]
        try:
            target = self.controller.read_scale(
                self.hpa["metadata"]["namespace"], spec.get("scaleTargetRef") or {}
            )
        except ScaleError as error:
            self.event("Warning", "FailedGetScale", error_text(error))
            self.condition(
                "AbleToScale",
                "False",
                "FailedGetScale",
                f"the HPA controller was unable to get the target's current scale: {error}",
            )
            self.write()
            return
        self.condition(
            "AbleToScale",
            "True",
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
        )
        current = target["spec"].get("replicas", 1)
        minimum = spec.get("minReplicas", 1)
        maximum = spec.get("maxReplicas", 0)
        if current == 0 and minimum != 0:
            self.condition(
                "ScalingActive",
                "False",
                "ScalingDisabled",
                "scaling is disabled since the replica count of the target is zero",
            )
            self.set_status(current, current, None, rescaled=False)
        elif current > maximum:
            self.rescale(target, current, maximum, "above Spec.MaxReplicas")
        elif current < minimum:
            self.rescale(target, current, minimum, "below Spec.MinReplicas")
        else:
            self.metrics_unavailable(current)
        self.write()

    def rescale(self, target: dict, current: int, desired: int, bound: str) -> None:
        """Scales().Update: the target's spec.replicas clamped into the HPA's bounds."""
        reason = f"Current number of replicas {bound}"
        self.api.update({**target, "spec": {**target["spec"], "replicas": desired}}, trusted=True)
        self.condition(
            "AbleToScale",
            "True",
            "SucceededRescale",
            f"the HPA controller was able to update the target scale to {desired}",
        )
        self.event("Normal", "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
        self.set_status(current, desired, None, rescaled=True)

    def metrics_unavailable(self, current: int) -> None:
        """computeReplicasForMetrics with every metric failing: the first one's condition,
        FailedComputeMetricsReplicas, and the status keeping its desiredReplicas."""
        metrics = self.hpa["spec"].get("metrics") or []
        failures = [metric_failure(metric) for metric in metrics]
        for reason, error, _ in failures:
            self.event("Warning", reason, error)
        if not failures:
            return
        reason, error, wrapped = failures[0]
        self.condition(
            "ScalingActive",
            "False",
            reason,
            f"the HPA was unable to compute the replica count: {error}",
        )
        self.set_status(current, self.status.get("desiredReplicas", 0), len(metrics), False)
        self.event(
            "Warning",
            "FailedComputeMetricsReplicas",
            f"invalid metrics ({len(metrics)} invalid out of {len(metrics)}), "
            f"first error is: {wrapped}: {error}",
        )

    def set_status(self, current: int, desired: int, metrics: int | None, rescaled: bool) -> None:
        """setStatus: `metrics` empty statuses (one per failed metric, `type: ""`) or none
        (autoscaling/v2 writes `currentMetrics: null`; zero currentReplicas is omitted)."""
        status: dict = {"desiredReplicas": desired}
        if current:
            status["currentReplicas"] = current
        last = self.status.get("lastScaleTime")
        if rescaled:
            last = self.now
        if last is not None:
            status["lastScaleTime"] = last
        status["currentMetrics"] = [{"type": ""} for _ in range(metrics)] if metrics else None
        if self.status.get("conditions"):
            status["conditions"] = self.status["conditions"]
        self.status = status

    def write(self) -> None:
        """updateStatusIfNeeded."""
        if self.status != self.original:
            self.api.set_status(self.hpa, self.status)
