"""The Service API in one import: defaulting, validation and warnings, for the Service strategy.

The work is done in service_defaults, service_validation, service_ips and service_policies; this
module gathers the names kubenet_nb.cluster.registry.service and older callers import from here.
"""

from __future__ import annotations

from kubenet_nb.api.core.service.defaults import (
    DEFAULT_CLIENT_IP_TIMEOUT,
    default_service,
    externally_accessible,
    is_headless,
    needs_health_check,
)
from kubenet_nb.api.core.service.ips import (
    go_ip_families,
    go_string_list,
    validate_cluster_ips_related_fields,
)
from kubenet_nb.api.core.service.validation import (
    service_warnings,
    validate_service,
    validate_service_update,
)
from kubenet_nb.api.meta import validate_port_num_or_name

__all__ = [
    "DEFAULT_CLIENT_IP_TIMEOUT",
    "default_service",
    "externally_accessible",
    "go_ip_families",
    "go_string_list",
    "is_headless",
    "needs_health_check",
    "service_warnings",
    "validate_cluster_ips_related_fields",
    "validate_port_num_or_name",
    "validate_service",
    "validate_service_update",
]
