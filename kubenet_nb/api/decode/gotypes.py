"""Go type names the decode errors print, where the schema's JSON type hides a named Go type.

`reflect.Type.String()` of a named type is `<package>.<Name>`: a `Protocol` field is a
`v1.Protocol`, not a `string`. The OpenAPI schema does not keep those names, so the fields of the
kinds kubenet serves that have one are listed here (k8s.io/api core/v1, apps/v1, discovery/v1 and
k8s.io/apimachinery meta/v1 types.go @ v1.33.0).
"""

from __future__ import annotations

__all__ = ["NAMED_TYPES", "struct_type"]

NAMED_TYPES: dict[tuple[str, str], str] = {
    ("ContainerPort", "protocol"): "v1.Protocol",
    ("ServicePort", "protocol"): "v1.Protocol",
    ("EndpointPort", "protocol"): "v1.Protocol",
    ("Container", "imagePullPolicy"): "v1.PullPolicy",
    ("Container", "terminationMessagePolicy"): "v1.TerminationMessagePolicy",
    ("Container", "restartPolicy"): "v1.ContainerRestartPolicy",
    ("PodSpec", "restartPolicy"): "v1.RestartPolicy",
    ("PodSpec", "dnsPolicy"): "v1.DNSPolicy",
    ("PodSpec", "preemptionPolicy"): "v1.PreemptionPolicy",
    ("PodStatus", "phase"): "v1.PodPhase",
    ("PodStatus", "qosClass"): "v1.PodQOSClass",
    ("NamespaceStatus", "phase"): "v1.NamespacePhase",
    ("NamespaceSpec", "finalizers"): "[]v1.FinalizerName",
    ("ServiceSpec", "type"): "v1.ServiceType",
    ("ServiceSpec", "sessionAffinity"): "v1.ServiceAffinity",
    ("ServiceSpec", "externalTrafficPolicy"): "v1.ServiceExternalTrafficPolicy",
    ("ServiceSpec", "internalTrafficPolicy"): "v1.ServiceInternalTrafficPolicy",
    ("ServiceSpec", "ipFamilies"): "[]v1.IPFamily",
    ("ServiceSpec", "ipFamilyPolicy"): "v1.IPFamilyPolicy",
    ("ResourceRequirements", "limits"): "v1.ResourceList",
    ("ResourceRequirements", "requests"): "v1.ResourceList",
    ("DeploymentStrategy", "type"): "v1.DeploymentStrategyType",
    ("DaemonSetUpdateStrategy", "type"): "v1.DaemonSetUpdateStrategyType",
    ("EndpointSlice", "addressType"): "v1.AddressType",
    ("LabelSelectorRequirement", "operator"): "v1.LabelSelectorOperator",
    ("NodeSelectorRequirement", "operator"): "v1.NodeSelectorOperator",
    ("Toleration", "operator"): "v1.TolerationOperator",
    ("Toleration", "effect"): "v1.TaintEffect",
    ("Taint", "effect"): "v1.TaintEffect",
    ("HTTPGetAction", "scheme"): "v1.URIScheme",
    ("Capabilities", "add"): "[]v1.Capability",
    ("Capabilities", "drop"): "[]v1.Capability",
    ("NodeAddress", "type"): "v1.NodeAddressType",
    ("NodeCondition", "type"): "v1.NodeConditionType",
    ("NodeCondition", "status"): "v1.ConditionStatus",
    ("PodCondition", "type"): "v1.PodConditionType",
    ("PodCondition", "status"): "v1.ConditionStatus",
    ("DeploymentCondition", "type"): "v1.DeploymentConditionType",
    ("DeploymentCondition", "status"): "v1.ConditionStatus",
    ("ReplicaSetCondition", "type"): "v1.ReplicaSetConditionType",
    ("ReplicaSetCondition", "status"): "v1.ConditionStatus",
}
"""(struct, json field) → the Go type of that field, as `reflect.Type.String()` prints it."""


def struct_type(definition: str) -> tuple[str, str]:
    """`io.k8s.api.apps.v1.DeploymentSpec` → (`DeploymentSpec`, `v1.DeploymentSpec`)."""
    parts = definition.split(".")
    return parts[-1], f"{parts[-2]}.{parts[-1]}"
