"""StatefulSets (apps/v1): defaulting, validation and what an update may change.

pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet; volume claim templates get
SetDefaults_PersistentVolumeClaim and, from the v1 conversion, their apiVersion and kind),
pkg/registry/apps/statefulset/strategy.go (status reset, generation 1) and
pkg/apis/apps/validation/validation.go (ValidateStatefulSetSpec,
ValidatePodTemplateSpecForStatefulSet, ValidateStatefulSetUpdate) @ v1.33.0, gates at their
v1.33 defaults (MaxUnavailableStatefulSet off). As upstream, the pod spec of the template is not
validated beyond labels, annotations, restartPolicy and activeDeadlineSeconds.
"""

from __future__ import annotations

from kubenet_nb.api.apps.template import default_pod_template, validate_workload_selector
from kubenet_nb.api.core.pod.template import (
    validate_kept_running,
    validate_selected_labels,
    validate_template_metadata,
)
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import (
    GoValue,
    go_quote,
    name_is_dns_label,
    validate_nonnegative,
)
from kubenet_nb.api.selectors import (
    SelectorError,
    go_label_selector,
    selector_from_label_selector,
)

__all__ = ["RULES", "default_statefulset", "validate_statefulset", "validate_statefulset_update"]

_POD_MANAGEMENT = ("OrderedReady", "Parallel")
_RETENTION = ["Retain", "Delete"]
_UPDATABLE = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)


def _default_claim_template(claim: dict) -> None:
    claim.setdefault("apiVersion", "v1")
    claim.setdefault("kind", "PersistentVolumeClaim")
    claim.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    claim.setdefault("spec", {}).setdefault("volumeMode", "Filesystem")
    status = claim.setdefault("status", {})
    if not status.get("phase"):
        status["phase"] = "Pending"


def default_statefulset(obj: dict) -> None:
    """SetDefaults_StatefulSet: OrderedReady, RollingUpdate (partition 0), Retain/Retain,
    replicas 1, history 10; the template as a PodSpec, claim templates as PVCs."""
    spec = obj.setdefault("spec", {})
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        if strategy.get("rollingUpdate") is None:
            strategy["rollingUpdate"] = {}
    if strategy["type"] == "RollingUpdate" and strategy.get("rollingUpdate") is not None:
        strategy["rollingUpdate"].setdefault("partition", 0)
    retention = spec.setdefault("persistentVolumeClaimRetentionPolicy", {})
    for key in ("whenDeleted", "whenScaled"):
        if not retention.get(key):
            retention[key] = "Retain"
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    default_pod_template(spec.setdefault("template", {}))
    for claim in spec.get("volumeClaimTemplates") or []:
        _default_claim_template(claim)


def _go_strategy(strategy: dict) -> GoValue:
    rolling = "(nil)" if strategy.get("rollingUpdate") is None else "(0xc000000000)"
    return GoValue(
        f"apps.StatefulSetUpdateStrategy{{Type:{go_quote(strategy.get('type', ''))}, "
        f"RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy){rolling}}}"
    )


def _validate_strategy(strategy: dict) -> list[FieldError]:
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    path = "spec.updateStrategy"
    if not kind:
        return [FieldError.required(path)]
    if kind == "OnDelete":
        if rolling is not None:
            return [
                FieldError.invalid(
                    f"{path}.rollingUpdate",
                    GoValue("&apps.RollingUpdateStatefulSetStrategy{...}"),
                    "only allowed for updateStrategy 'RollingUpdate'",
                )
            ]
        return []
    if kind == "RollingUpdate":
        if rolling is None:
            return []
        return validate_nonnegative(rolling.get("partition", 0), f"{path}.rollingUpdate.partition")
    return [
        FieldError.invalid(path, _go_strategy(strategy), "must be 'RollingUpdate' or 'OnDelete'")
    ]


def _validate_retention(policy: dict | None) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in ("whenDeleted", "whenScaled") if policy is not None else ():
        value = policy.get(key, "")  # type: ignore[union-attr]
        if value not in _RETENTION:
            errs.append(
                FieldError.not_supported(
                    f"spec.persistentVolumeClaimRetentionPolicy.{key}", value, _RETENTION
                )
            )
    return errs


def _validate_template(spec: dict) -> list[FieldError]:
    """The selector, then ValidatePodTemplateSpecForStatefulSet (labels and annotations only,
    not the PodSpec) and the template's policies."""
    selector = spec.get("selector")
    errs = validate_workload_selector(selector, "statefulset")
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels")
    try:
        parsed = selector_from_label_selector(selector)
    except SelectorError:
        errs.append(FieldError.invalid("spec.selector", go_label_selector(selector), ""))
    else:
        matches = parsed.empty() or parsed.matches(labels)
        errs.extend(validate_selected_labels(matches, labels, "spec.template"))
        errs.extend(validate_template_metadata(template, "spec.template"))
    return errs + validate_kept_running(template, "spec.template", "StatefulSet")


def _validate_spec(spec: dict) -> list[FieldError]:
    """ValidateStatefulSetSpec."""
    errs: list[FieldError] = []
    policy = spec.get("podManagementPolicy", "")
    if not policy:
        errs.append(FieldError.required("spec.podManagementPolicy"))
    elif policy not in _POD_MANAGEMENT:
        errs.append(
            FieldError.invalid(
                "spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"
            )
        )
    errs.extend(_validate_strategy(spec.get("updateStrategy") or {}))
    errs.extend(_validate_retention(spec.get("persistentVolumeClaimRetentionPolicy")))
    errs.extend(validate_nonnegative(spec.get("replicas", 0), "spec.replicas"))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds"))
    ordinals = spec.get("ordinals")
    if ordinals is not None:
        errs.extend(validate_nonnegative(ordinals.get("start", 0), "spec.ordinals.start"))
    return errs + _validate_template(spec)


def validate_statefulset(obj: dict) -> list[FieldError]:
    """ValidateStatefulSet beyond ObjectMeta."""
    return _validate_spec(obj.get("spec") or {})


def validate_statefulset_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateStatefulSetUpdate: only the fields in `_UPDATABLE` may change."""
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    errs = _validate_spec(spec)
    fixed = {k: v for k, v in spec.items() if k not in _UPDATABLE}
    old_fixed = {k: v for k, v in old_spec.items() if k not in _UPDATABLE}
    if fixed != old_fixed:
        errs.append(
            FieldError.forbidden(
                "spec",
                "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                "'minReadySeconds' are forbidden",
            )
        )
    return errs


RULES = (
    KindRules(
        "StatefulSet",
        name=name_is_dns_label,
        default=default_statefulset,
        validate=validate_statefulset,
        validate_update=validate_statefulset_update,
        status={"replicas": 0, "availableReplicas": 0},
        generation=True,
    ),
)
