"""The resource types the simulated API server serves, named as kubectl names them.

Plural, singular and short names come from `kubectl api-resources` on a v1.33 cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubenet_nb.api.errors import KubectlError

__all__ = ["RESOURCES", "ResourceInfo", "by_kind", "resolve"]


@dataclass(frozen=True)
class ResourceInfo:
    """One API resource: its kind, REST names, group/version and scope."""

    kind: str
    plural: str
    singular: str
    short_names: tuple[str, ...]
    group: str
    version: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified_plural(self) -> str:
        """`deployments.apps`, `services`: the name error messages use."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified_kind(self) -> str:
        """`deployment.apps`, `service`: the prefix of `kubectl get -o name`."""
        return f"{self.singular}.{self.group}" if self.group else self.singular


RESOURCES: tuple[ResourceInfo, ...] = (
    ResourceInfo("Namespace", "namespaces", "namespace", ("ns",), "", "v1", False),
    ResourceInfo("Node", "nodes", "node", ("no",), "", "v1", False),
    ResourceInfo("Pod", "pods", "pod", ("po",), "", "v1", True),
    ResourceInfo("Service", "services", "service", ("svc",), "", "v1", True),
    ResourceInfo("Endpoints", "endpoints", "endpoints", ("ep",), "", "v1", True),
    ResourceInfo(
        "EndpointSlice", "endpointslices", "endpointslice", (), "discovery.k8s.io", "v1", True
    ),
    ResourceInfo("Deployment", "deployments", "deployment", ("deploy",), "apps", "v1", True),
    ResourceInfo("ReplicaSet", "replicasets", "replicaset", ("rs",), "apps", "v1", True),
    ResourceInfo("DaemonSet", "daemonsets", "daemonset", ("ds",), "apps", "v1", True),
    ResourceInfo("Event", "events", "event", ("ev",), "", "v1", True),
)

_BY_NAME: dict[str, ResourceInfo] = {}
for _info in RESOURCES:
    for _name in (
        _info.plural,
        _info.singular,
        *_info.short_names,
        _info.kind.lower(),
        _info.qualified_plural,
        _info.qualified_kind,
    ):
        _BY_NAME[_name] = _info
_BY_KIND = {info.kind: info for info in RESOURCES}


def resolve(name: str) -> ResourceInfo:
    """Resolve a resource name as kubectl accepts it (`svc`, `pods`, `deploy`, `Deployment`).

    >>> resolve("svc").kind, resolve("deploy").qualified_plural
    ('Service', 'deployments.apps')
    """
    info = _BY_NAME.get(name) or _BY_NAME.get(name.lower())
    if info is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{name}"')
    return info


def by_kind(kind: str) -> ResourceInfo:
    """The resource for an object's `kind` field."""
    return _BY_KIND[kind]
