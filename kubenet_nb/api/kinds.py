"""The resource types the simulated API server serves, named as kubectl names them.

Every resource `kubectl api-resources` lists on a kind v0.29 cluster (Kubernetes v1.33: stable
group/versions only, beta APIs off by default, no CRDs installed), in its order: by API group, core
first, then by resource within a group. Plural, singular and short names as each upstream
registry's storage.go gives them (kubernetes/kubernetes pkg/registry/*/*/storage/storage.go
@ v1.33.0; `crd,crds` from kubernetes/apiextensions-apiserver pkg/registry/
customresourcedefinition/etcd.go @ v0.33.0).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kubenet_nb.api.errors import KubectlError

__all__ = [
    "ALL_VERBS",
    "ALSO_SERVED",
    "CREATE_ONLY",
    "READ_ONLY",
    "RESOURCES",
    "ResourceInfo",
    "ResourceTable",
    "by_kind",
    "resolve",
]

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
CREATE_ONLY = ("create",)
"""Reviews and bindings: a POST answered at once, never stored (nothing to get or list)."""
READ_ONLY = ("get", "list")
"""ComponentStatus: computed by the API server on each read."""


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
    verbs: tuple[str, ...] = ALL_VERBS
    categories: tuple[str, ...] = ()
    """Discovery's categories of a custom resource (built-ins: kubectl's CATEGORIES table)."""

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified_plural(self) -> str:
        """`deployments.apps`, `services`: the name error messages use."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified_kind(self) -> str:
        """`deployment.apps`, `service`: the prefix of `kubectl get -o name` (cli-runtime's
        NamePrinter lowers the kind; a CRD's singular may differ from it)."""
        kind = self.kind.lower()
        return f"{kind}.{self.group}" if self.group else kind


_TABLE = """
[v1]
bindings                            -         true   Binding
componentstatuses                   cs        false  ComponentStatus
configmaps                          cm        true   ConfigMap
endpoints                           ep        true   Endpoints
events                              ev        true   Event
limitranges                         limits    true   LimitRange
namespaces                          ns        false  Namespace
nodes                               no        false  Node
persistentvolumeclaims              pvc       true   PersistentVolumeClaim
persistentvolumes                   pv        false  PersistentVolume
pods                                po        true   Pod
podtemplates                        -         true   PodTemplate
replicationcontrollers              rc        true   ReplicationController
resourcequotas                      quota     true   ResourceQuota
secrets                             -         true   Secret
serviceaccounts                     sa        true   ServiceAccount
services                            svc       true   Service
[admissionregistration.k8s.io/v1]
mutatingwebhookconfigurations       -         false  MutatingWebhookConfiguration
validatingadmissionpolicies         -         false  ValidatingAdmissionPolicy
validatingadmissionpolicybindings   -         false  ValidatingAdmissionPolicyBinding
validatingwebhookconfigurations     -         false  ValidatingWebhookConfiguration
[apiextensions.k8s.io/v1]
customresourcedefinitions           crd,crds  false  CustomResourceDefinition
[apiregistration.k8s.io/v1]
apiservices                         -         false  APIService
[apps/v1]
controllerrevisions                 -         true   ControllerRevision
daemonsets                          ds        true   DaemonSet
deployments                         deploy    true   Deployment
replicasets                         rs        true   ReplicaSet
statefulsets                        sts       true   StatefulSet
[authentication.k8s.io/v1]
selfsubjectreviews                  -         false  SelfSubjectReview
tokenreviews                        -         false  TokenReview
[authorization.k8s.io/v1]
localsubjectaccessreviews           -         true   LocalSubjectAccessReview
selfsubjectaccessreviews            -         false  SelfSubjectAccessReview
selfsubjectrulesreviews             -         false  SelfSubjectRulesReview
subjectaccessreviews                -         false  SubjectAccessReview
[autoscaling/v2]
horizontalpodautoscalers            hpa       true   HorizontalPodAutoscaler
[batch/v1]
cronjobs                            cj        true   CronJob
jobs                                -         true   Job
[certificates.k8s.io/v1]
certificatesigningrequests          csr       false  CertificateSigningRequest
[coordination.k8s.io/v1]
leases                              -         true   Lease
[discovery.k8s.io/v1]
endpointslices                      -         true   EndpointSlice
[events.k8s.io/v1]
events                              ev        true   Event
[flowcontrol.apiserver.k8s.io/v1]
flowschemas                         -         false  FlowSchema
prioritylevelconfigurations         -         false  PriorityLevelConfiguration
[networking.k8s.io/v1]
ingressclasses                      -         false  IngressClass
ingresses                           ing       true   Ingress
ipaddresses                         ip        false  IPAddress
networkpolicies                     netpol    true   NetworkPolicy
servicecidrs                        -         false  ServiceCIDR
[node.k8s.io/v1]
runtimeclasses                      -         false  RuntimeClass
[policy/v1]
poddisruptionbudgets                pdb       true   PodDisruptionBudget
[rbac.authorization.k8s.io/v1]
clusterrolebindings                 -         false  ClusterRoleBinding
clusterroles                        -         false  ClusterRole
rolebindings                        -         true   RoleBinding
roles                               -         true   Role
[scheduling.k8s.io/v1]
priorityclasses                     pc        false  PriorityClass
[storage.k8s.io/v1]
csidrivers                          -         false  CSIDriver
csinodes                            -         false  CSINode
csistoragecapacities                -         true   CSIStorageCapacity
storageclasses                      sc        false  StorageClass
volumeattachments                   -         false  VolumeAttachment
"""
"""`[group/version]` heads its resources; one row per resource: plural, short names (`-`: none),
namespaced, kind."""

_VERBS = {
    "bindings": CREATE_ONLY,
    "componentstatuses": READ_ONLY,
    "selfsubjectreviews": CREATE_ONLY,
    "tokenreviews": CREATE_ONLY,
    "localsubjectaccessreviews": CREATE_ONLY,
    "selfsubjectaccessreviews": CREATE_ONLY,
    "selfsubjectrulesreviews": CREATE_ONLY,
    "subjectaccessreviews": CREATE_ONLY,
}


def _rows(table: str) -> Iterator[ResourceInfo]:
    group = version = ""
    for line in table.split("\n"):
        if line.startswith("["):
            group, _, version = line.strip("[]").rpartition("/")
        elif line:
            yield _row(line, group, version)


def _row(line: str, group: str, version: str) -> ResourceInfo:
    plural, short, namespaced, kind = line.split()
    return ResourceInfo(
        kind,
        plural,
        kind.lower(),
        () if short == "-" else tuple(short.split(",")),
        group,
        version,
        namespaced == "true",
        _VERBS.get(plural, ALL_VERBS),
    )


RESOURCES: tuple[ResourceInfo, ...] = tuple(_rows(_TABLE))


def _names(info: ResourceInfo) -> tuple[str, ...]:
    """Every name kubectl resolves to a resource."""
    return (
        info.plural,
        info.singular,
        *info.short_names,
        info.kind.lower(),
        info.qualified_plural,
        info.qualified_kind,
    )


_BY_NAME: dict[str, ResourceInfo] = {}
for _info in reversed(RESOURCES):  # the first row wins a shared name: core's `events`
    for _name in _names(_info):
        _BY_NAME[_name] = _info
_BY_KIND = {info.kind: info for info in reversed(RESOURCES)}
ALSO_SERVED: tuple[tuple[str, str], ...] = (("autoscaling/v1", "HorizontalPodAutoscaler"),)
"""(apiVersion, kind) served beside a kind's preferred version, which alone discovery (and so
`kubectl api-resources`) lists; the API server converts them to the stored version
(api/autoscaling/v1.py)."""
_VERSIONS = frozenset([*((info.api_version, info.kind) for info in RESOURCES), *ALSO_SERVED])


def _unknown(name: str) -> KubectlError:
    return KubectlError(f'the server doesn\'t have a resource type "{name}"')


def resolve(name: str) -> ResourceInfo:
    """Resolve a built-in resource name as kubectl accepts it (`svc`, `pods`, `Deployment`).

    >>> resolve("svc").kind, resolve("deploy").qualified_plural
    ('Service', 'deployments.apps')
    """
    info = _BY_NAME.get(name) or _BY_NAME.get(name.lower())
    if info is None:
        raise _unknown(name)
    return info


def by_kind(kind: str) -> ResourceInfo:
    """The built-in resource for an object's `kind` field."""
    return _BY_KIND[kind]


_NAMESPACED = [info.kind for info in RESOURCES if info.namespaced and info.kind != "Event"]
"""The stored namespaced built-in kinds (Events are a log here, not stored objects)."""


class ResourceTable:
    """What one API server serves: the built-in resources plus those its established CRDs add.

    Lookups stay O(1): the built-ins' indexes are shared, the extras have their own, consulted
    after them (a built-in keeps a name a custom resource also claims).

    >>> table = ResourceTable()
    >>> table.add(
    ...     ResourceInfo(
    ...         "CronTab", "crontabs", "crontab", ("ct",), "stable.example.com", "v1", True
    ...     ),
    ...     ("v1",),
    ... )
    >>> table.resolve("ct").qualified_plural, table.serves("stable.example.com/v1", "CronTab")
    ('crontabs.stable.example.com', True)
    """

    def __init__(self) -> None:
        self._by_name: dict[str, ResourceInfo] = {}
        self._by_kind: dict[str, ResourceInfo] = {}
        self._versions: dict[str, tuple[str, ...]] = {}

    @property
    def resources(self) -> tuple[ResourceInfo, ...]:
        """Discovery: the built-ins in their order, then the custom resources."""
        return RESOURCES + tuple(self._by_kind.values())

    def resolve(self, name: str) -> ResourceInfo:
        """A resource name as kubectl accepts it, built-in or custom."""
        info = (
            _BY_NAME.get(name)
            or self._by_name.get(name)
            or _BY_NAME.get(name.lower())
            or self._by_name.get(name.lower())
        )
        if info is None:
            raise _unknown(name)
        return info

    def by_kind(self, kind: str) -> ResourceInfo:
        """The resource for an object's `kind` field (KeyError: not served)."""
        return _BY_KIND.get(kind) or self._by_kind[kind]

    def has_kind(self, kind: str) -> bool:
        """Whether the kind is served, built-in or custom."""
        return kind in _BY_KIND or kind in self._by_kind

    def is_custom(self, kind: str) -> bool:
        """Whether a served kind comes from a CRD."""
        return kind in self._by_kind

    def serves(self, api_version: str, kind: str) -> bool:
        """Whether the group/version serves the kind (kubectl's REST mapping)."""
        if (api_version, kind) in _VERSIONS:
            return True
        info = self._by_kind.get(kind)
        if info is None:
            return False
        group, _, version = api_version.rpartition("/")
        return group == info.group and version in self._versions[kind]

    def namespaced_kinds(self) -> list[str]:
        """Every stored namespaced kind (what a namespace's deletion empties)."""
        extra = [info.kind for info in self._by_kind.values() if info.namespaced]
        return _NAMESPACED + extra

    def add(self, info: ResourceInfo, versions: tuple[str, ...]) -> None:
        """Serve a custom resource at its versions (`info.version`: the preferred one)."""
        self.remove(info.kind)
        self._by_kind[info.kind] = info
        self._versions[info.kind] = versions
        for name in _names(info):
            self._by_name.setdefault(name, info)

    def remove(self, kind: str) -> None:
        """Stop serving a custom resource."""
        info = self._by_kind.pop(kind, None)
        if info is None:
            return
        del self._versions[kind]
        self._by_name = {n: i for n, i in self._by_name.items() if i is not info}
        for other in self._by_kind.values():
            for name in _names(other):
                self._by_name.setdefault(name, other)
