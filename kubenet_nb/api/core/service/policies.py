"""Service session affinity and traffic policies: how a Service's traffic picks its endpoints.

The checks ValidateService makes on sessionAffinity(Config) (validateClientIPAffinityConfig),
externalTrafficPolicy, healthCheckNodePort, internalTrafficPolicy and trafficDistribution, in
pkg/apis/core/validation/validation.go (v1.33), with upstream's wording and order.
"""

from __future__ import annotations

from kubenet_nb.api.core.service.defaults import externally_accessible, needs_health_check
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.names import is_valid_port_num

__all__ = ["validate_session_affinity", "validate_traffic_policies"]

MAX_CLIENT_IP_TIMEOUT = 86400
# sets.List(...) order: sorted.
AFFINITIES = ["ClientIP", "None"]
TRAFFIC_POLICIES = ["Cluster", "Local"]
TRAFFIC_DISTRIBUTIONS = ["PreferClose"]


def validate_session_affinity(spec: dict) -> list[FieldError]:
    """sessionAffinity, and its ClientIP config (validateClientIPAffinityConfig)."""
    affinity = spec.get("sessionAffinity") or ""
    errs: list[FieldError] = []
    if not affinity:
        errs.append(FieldError.required("spec.sessionAffinity"))
    elif affinity not in AFFINITIES:
        errs.append(FieldError.not_supported("spec.sessionAffinity", affinity, AFFINITIES))
    path = "spec.sessionAffinityConfig"
    if affinity == "ClientIP":
        # validateClientIPAffinityConfig: each missing level stops the check.
        config = spec.get("sessionAffinityConfig")
        why = "when session affinity type is ClientIP"
        if config is None:
            return [*errs, FieldError.required(path, why)]
        if config.get("clientIP") is None:
            return [*errs, FieldError.required(f"{path}.clientIP", why)]
        timeout = config["clientIP"].get("timeoutSeconds")
        if timeout is None:
            return [*errs, FieldError.required(f"{path}.clientIP.timeoutSeconds", why)]
        if not 0 < timeout <= MAX_CLIENT_IP_TIMEOUT:
            errs.append(
                FieldError.invalid(
                    f"{path}.clientIP.timeoutSeconds",
                    timeout,
                    f"must be greater than 0 and less than {MAX_CLIENT_IP_TIMEOUT}",
                )
            )
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(FieldError.forbidden(path, "must not be set when session affinity is None"))
    return errs


def validate_traffic_policies(spec: dict) -> list[FieldError]:
    """validateServiceExternalTrafficPolicy, ...InternalTrafficFieldsValue, ...Distribution."""
    errs: list[FieldError] = []
    etp = spec.get("externalTrafficPolicy") or ""
    if not externally_accessible(spec):
        if etp:
            errs.append(
                FieldError.invalid(
                    "spec.externalTrafficPolicy",
                    etp,
                    "may only be set for externally-accessible services",
                )
            )
    elif not etp:
        errs.append(FieldError.required("spec.externalTrafficPolicy"))
    elif etp not in TRAFFIC_POLICIES:
        errs.append(FieldError.not_supported("spec.externalTrafficPolicy", etp, TRAFFIC_POLICIES))
    health = spec.get("healthCheckNodePort") or 0
    if not needs_health_check(spec):
        if health:
            errs.append(
                FieldError.invalid(
                    "spec.healthCheckNodePort",
                    health,
                    "may only be set when `type` is "
                    "'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
                )
            )
    elif not health:
        errs.append(FieldError.required("spec.healthCheckNodePort"))
    else:
        errs.extend(
            FieldError.invalid("spec.healthCheckNodePort", health, msg)
            for msg in is_valid_port_num(health)
        )
    itp = spec.get("internalTrafficPolicy")
    if itp is None and spec.get("type") in ("NodePort", "LoadBalancer", "ClusterIP"):
        errs.append(FieldError.required("spec.internalTrafficPolicy"))
    if itp is not None and itp not in TRAFFIC_POLICIES:
        errs.append(FieldError.not_supported("spec.internalTrafficPolicy", itp, TRAFFIC_POLICIES))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution not in TRAFFIC_DISTRIBUTIONS:
        errs.append(
            FieldError.not_supported(
                "spec.trafficDistribution", distribution, TRAFFIC_DISTRIBUTIONS
            )
        )
    return errs
