"""Every Kubernetes label, annotation and taint key the simulator spells out, named once.

One name per key, so no module carries its own copy of a string that must match the others.
Sources, at tag v1.33.0 of kubernetes/kubernetes unless noted (the k8s.io/api files are also
kubernetes/api @ v0.33.0):
- staging/src/k8s.io/api/core/v1/well_known_labels.go, well_known_taints.go and
  annotation_key_constants.go;
- staging/src/k8s.io/api/discovery/v1/well_known_labels.go;
- staging/src/k8s.io/api/apps/v1/types.go (pod-template-hash, controller-revision-hash,
  pod-template-generation);
- pkg/controller/deployment/util/deployment_util.go (the deployment.kubernetes.io annotations);
- pkg/controller/endpoint/endpoints_controller.go (LabelManagedBy of the Endpoints controller);
- pkg/kubelet/apis/well_known_labels.go (the deprecated beta.kubernetes.io/os and arch);
- pkg/kubelet/types/pod_update.go (kubernetes.io/config.source);
- pkg/volume/util/util.go (ControllerManagedAttachAnnotation);
- cmd/kubeadm/app/constants/constants.go (the control-plane role label and taint) and
  cmd/kubeadm/app/phases/addons/dns/manifests.go (the kube-dns Service's addon labels);
- pkg/printers/internalversion/printers.go (node-role.kubernetes.io/ prefix, kubernetes.io/role);
- kubernetes/kubectl @ v0.33.0: pkg/cmd/util/podcmd/podcmd.go (default-container).
"""

from __future__ import annotations

__all__ = [
    "ARCH_BETA_LABEL",
    "ARCH_LABEL",
    "CLUSTER_SERVICE_LABEL",
    "CONTROLLER_MANAGED_ATTACH_ANNOTATION",
    "CONTROLLER_REVISION_HASH_LABEL",
    "CONTROL_PLANE_ROLE_LABEL",
    "CONTROL_PLANE_TAINT",
    "DEFAULT_CONTAINER_ANNOTATION",
    "DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION",
    "DEPLOYMENT_MAX_REPLICAS_ANNOTATION",
    "DEPLOYMENT_REVISION_ANNOTATION",
    "ENDPOINTS_MANAGED_BY_LABEL",
    "ENDPOINTS_OVER_CAPACITY_ANNOTATION",
    "ENDPOINTS_TRIGGER_TIME_ANNOTATION",
    "EXCLUDE_FROM_LB_LABEL",
    "HEADLESS_LABEL",
    "HOSTNAME_LABEL",
    "INSTANCE_TYPE_BETA_LABEL",
    "INSTANCE_TYPE_LABEL",
    "LAST_APPLIED_ANNOTATION",
    "LOAD_BALANCER_SOURCE_RANGES_ANNOTATION",
    "MANAGED_BY_LABEL",
    "MIRROR_POD_ANNOTATION",
    "NAMESPACE_NAME_LABEL",
    "NAME_LABEL",
    "NODE_DISK_PRESSURE_TAINT",
    "NODE_MEMORY_PRESSURE_TAINT",
    "NODE_NETWORK_UNAVAILABLE_TAINT",
    "NODE_NOT_READY_TAINT",
    "NODE_PID_PRESSURE_TAINT",
    "NODE_ROLE_LABEL",
    "NODE_ROLE_LABEL_PREFIX",
    "NODE_UNREACHABLE_TAINT",
    "NODE_UNSCHEDULABLE_TAINT",
    "OBJECT_TTL_ANNOTATION",
    "OS_BETA_LABEL",
    "OS_LABEL",
    "POD_CONFIG_SOURCE_ANNOTATION",
    "POD_TEMPLATE_GENERATION_LABEL",
    "POD_TEMPLATE_HASH_LABEL",
    "REGION_BETA_LABEL",
    "REGION_LABEL",
    "SERVICE_NAME_LABEL",
    "SKIP_MIRROR_LABEL",
    "TOPOLOGY_AWARE_HINTS_ANNOTATION",
    "TOPOLOGY_MODE_ANNOTATION",
    "ZONE_BETA_LABEL",
    "ZONE_LABEL",
]

# core/v1 well_known_labels.go
HOSTNAME_LABEL = "kubernetes.io/hostname"  # LabelHostname
ZONE_LABEL = "topology.kubernetes.io/zone"  # LabelTopologyZone
REGION_LABEL = "topology.kubernetes.io/region"  # LabelTopologyRegion
ZONE_BETA_LABEL = "failure-domain.beta.kubernetes.io/zone"  # LabelFailureDomainBetaZone
REGION_BETA_LABEL = "failure-domain.beta.kubernetes.io/region"  # LabelFailureDomainBetaRegion
INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type"  # LabelInstanceTypeStable
INSTANCE_TYPE_BETA_LABEL = "beta.kubernetes.io/instance-type"  # LabelInstanceType
OS_LABEL = "kubernetes.io/os"  # LabelOSStable
ARCH_LABEL = "kubernetes.io/arch"  # LabelArchStable
HEADLESS_LABEL = "service.kubernetes.io/headless"  # IsHeadlessService
EXCLUDE_FROM_LB_LABEL = (  # LabelNodeExcludeBalancers
    "node.kubernetes.io/exclude-from-external-load-balancers"
)
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"  # LabelMetadataName

# pkg/kubelet/apis/well_known_labels.go: deprecated since v1.14, kind's kubelet still sets them.
OS_BETA_LABEL = "beta.kubernetes.io/os"
ARCH_BETA_LABEL = "beta.kubernetes.io/arch"

# kubeadm and the API server's table printer: node roles.
CONTROL_PLANE_ROLE_LABEL = "node-role.kubernetes.io/control-plane"  # LabelNodeRoleControlPlane
NODE_ROLE_LABEL_PREFIX = "node-role.kubernetes.io/"  # labelNodeRolePrefix
NODE_ROLE_LABEL = "kubernetes.io/role"  # nodeLabelRole

# kubeadm's CoreDNS addon labels its Service with these.
CLUSTER_SERVICE_LABEL = "kubernetes.io/cluster-service"
NAME_LABEL = "kubernetes.io/name"

# discovery/v1 well_known_labels.go
SERVICE_NAME_LABEL = "kubernetes.io/service-name"  # LabelServiceName
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"  # LabelManagedBy
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"  # LabelSkipMirror

# pkg/controller/endpoint: the Endpoints controller's own managed-by label.
ENDPOINTS_MANAGED_BY_LABEL = "endpoints.kubernetes.io/managed-by"

# apps/v1 types.go
POD_TEMPLATE_HASH_LABEL = "pod-template-hash"  # DefaultDeploymentUniqueLabelKey
CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash"  # ControllerRevisionHashLabelKey
POD_TEMPLATE_GENERATION_LABEL = "pod-template-generation"  # DeprecatedTemplateGeneration

# core/v1 annotation_key_constants.go
LAST_APPLIED_ANNOTATION = (  # LastAppliedConfigAnnotation
    "kubectl.kubernetes.io/last-applied-configuration"
)
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"  # MirrorPodAnnotationKey
OBJECT_TTL_ANNOTATION = "node.alpha.kubernetes.io/ttl"  # ObjectTTLAnnotationKey
ENDPOINTS_TRIGGER_TIME_ANNOTATION = (  # EndpointsLastChangeTriggerTime
    "endpoints.kubernetes.io/last-change-trigger-time"
)
ENDPOINTS_OVER_CAPACITY_ANNOTATION = (
    "endpoints.kubernetes.io/over-capacity"  # EndpointsOverCapacity
)
TOPOLOGY_MODE_ANNOTATION = "service.kubernetes.io/topology-mode"  # AnnotationTopologyMode
TOPOLOGY_AWARE_HINTS_ANNOTATION = (  # DeprecatedAnnotationTopologyAwareHints
    "service.kubernetes.io/topology-aware-hints"
)
LOAD_BALANCER_SOURCE_RANGES_ANNOTATION = (  # AnnotationLoadBalancerSourceRangesKey
    "service.beta.kubernetes.io/load-balancer-source-ranges"
)

# kubelet, volume controller, kubectl and the Deployment controller annotations.
POD_CONFIG_SOURCE_ANNOTATION = "kubernetes.io/config.source"  # ConfigSourceAnnotationKey
CONTROLLER_MANAGED_ATTACH_ANNOTATION = "volumes.kubernetes.io/controller-managed-attach-detach"
DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"
DEPLOYMENT_REVISION_ANNOTATION = "deployment.kubernetes.io/revision"  # RevisionAnnotation
DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
DEPLOYMENT_MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"

# core/v1 well_known_taints.go, and kubeadm's control-plane taint.
NODE_NOT_READY_TAINT = "node.kubernetes.io/not-ready"  # TaintNodeNotReady
NODE_UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"  # TaintNodeUnreachable
NODE_UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"  # TaintNodeUnschedulable
NODE_MEMORY_PRESSURE_TAINT = "node.kubernetes.io/memory-pressure"  # TaintNodeMemoryPressure
NODE_DISK_PRESSURE_TAINT = "node.kubernetes.io/disk-pressure"  # TaintNodeDiskPressure
NODE_PID_PRESSURE_TAINT = "node.kubernetes.io/pid-pressure"  # TaintNodePIDPressure
NODE_NETWORK_UNAVAILABLE_TAINT = (  # TaintNodeNetworkUnavailable
    "node.kubernetes.io/network-unavailable"
)
CONTROL_PLANE_TAINT = CONTROL_PLANE_ROLE_LABEL  # kubeadm's ControlPlaneTaint key
