"""`kubectl api-resources` against the recorded output of kubectl v1.33.1 on kind v1.33."""

# ruff: noqa: E501 - recorded lines are kept whole, byte for byte

from __future__ import annotations

import pytest

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.commands import READERS
from kubenet_nb.kubectl.main import split_command_line

# Observed: kubectl v1.33.1 run against exactly the discovery a kind v1.33 cluster serves (stable
# group/versions only: kubernetes/kubernetes pkg/controlplane/instance.go
# DefaultAPIResourceConfigSource @ v1.33.0; short names from each
# pkg/registry/<group>/<resource>/storage/storage.go ShortNames() @ v1.33.0; `crd,crds` from
# kubernetes/apiextensions-apiserver pkg/registry/customresourcedefinition/etcd.go @ v0.33.1).
# Header, tab alignment (minwidth 6, padding 3) and the stable sort by API group then name:
# kubernetes/kubectl pkg/cmd/apiresources/apiresources.go @ v0.33.1.
RECORDED = (
    "NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND\n"
    "bindings                                         v1                                true         Binding\n"
    "componentstatuses                   cs           v1                                false        ComponentStatus\n"
    "configmaps                          cm           v1                                true         ConfigMap\n"
    "endpoints                           ep           v1                                true         Endpoints\n"
    "events                              ev           v1                                true         Event\n"
    "limitranges                         limits       v1                                true         LimitRange\n"
    "namespaces                          ns           v1                                false        Namespace\n"
    "nodes                               no           v1                                false        Node\n"
    "persistentvolumeclaims              pvc          v1                                true         PersistentVolumeClaim\n"
    "persistentvolumes                   pv           v1                                false        PersistentVolume\n"
    "pods                                po           v1                                true         Pod\n"
    "podtemplates                                     v1                                true         PodTemplate\n"
    "replicationcontrollers              rc           v1                                true         ReplicationController\n"
    "resourcequotas                      quota        v1                                true         ResourceQuota\n"
    "secrets                                          v1                                true         Secret\n"
    "serviceaccounts                     sa           v1                                true         ServiceAccount\n"
    "services                            svc          v1                                true         Service\n"
    "mutatingwebhookconfigurations                    admissionregistration.k8s.io/v1   false        MutatingWebhookConfiguration\n"
    "validatingadmissionpolicies                      admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicy\n"
    "validatingadmissionpolicybindings                admissionregistration.k8s.io/v1   false        ValidatingAdmissionPolicyBinding\n"
    "validatingwebhookconfigurations                  admissionregistration.k8s.io/v1   false        ValidatingWebhookConfiguration\n"
    "customresourcedefinitions           crd,crds     apiextensions.k8s.io/v1           false        CustomResourceDefinition\n"
    "apiservices                                      apiregistration.k8s.io/v1         false        APIService\n"
    "controllerrevisions                              apps/v1                           true         ControllerRevision\n"
    "daemonsets                          ds           apps/v1                           true         DaemonSet\n"
    "deployments                         deploy       apps/v1                           true         Deployment\n"
    "replicasets                         rs           apps/v1                           true         ReplicaSet\n"
    "statefulsets                        sts          apps/v1                           true         StatefulSet\n"
    "selfsubjectreviews                               authentication.k8s.io/v1          false        SelfSubjectReview\n"
    "tokenreviews                                     authentication.k8s.io/v1          false        TokenReview\n"
    "localsubjectaccessreviews                        authorization.k8s.io/v1           true         LocalSubjectAccessReview\n"
    "selfsubjectaccessreviews                         authorization.k8s.io/v1           false        SelfSubjectAccessReview\n"
    "selfsubjectrulesreviews                          authorization.k8s.io/v1           false        SelfSubjectRulesReview\n"
    "subjectaccessreviews                             authorization.k8s.io/v1           false        SubjectAccessReview\n"
    "horizontalpodautoscalers            hpa          autoscaling/v2                    true         HorizontalPodAutoscaler\n"
    "cronjobs                            cj           batch/v1                          true         CronJob\n"
    "jobs                                             batch/v1                          true         Job\n"
    "certificatesigningrequests          csr          certificates.k8s.io/v1            false        CertificateSigningRequest\n"
    "leases                                           coordination.k8s.io/v1            true         Lease\n"
    "endpointslices                                   discovery.k8s.io/v1               true         EndpointSlice\n"
    "events                              ev           events.k8s.io/v1                  true         Event\n"
    "flowschemas                                      flowcontrol.apiserver.k8s.io/v1   false        FlowSchema\n"
    "prioritylevelconfigurations                      flowcontrol.apiserver.k8s.io/v1   false        PriorityLevelConfiguration\n"
    "ingressclasses                                   networking.k8s.io/v1              false        IngressClass\n"
    "ingresses                           ing          networking.k8s.io/v1              true         Ingress\n"
    "ipaddresses                         ip           networking.k8s.io/v1              false        IPAddress\n"
    "networkpolicies                     netpol       networking.k8s.io/v1              true         NetworkPolicy\n"
    "servicecidrs                                     networking.k8s.io/v1              false        ServiceCIDR\n"
    "runtimeclasses                                   node.k8s.io/v1                    false        RuntimeClass\n"
    "poddisruptionbudgets                pdb          policy/v1                         true         PodDisruptionBudget\n"
    "clusterrolebindings                              rbac.authorization.k8s.io/v1      false        ClusterRoleBinding\n"
    "clusterroles                                     rbac.authorization.k8s.io/v1      false        ClusterRole\n"
    "rolebindings                                     rbac.authorization.k8s.io/v1      true         RoleBinding\n"
    "roles                                            rbac.authorization.k8s.io/v1      true         Role\n"
    "priorityclasses                     pc           scheduling.k8s.io/v1              false        PriorityClass\n"
    "csidrivers                                       storage.k8s.io/v1                 false        CSIDriver\n"
    "csinodes                                         storage.k8s.io/v1                 false        CSINode\n"
    "csistoragecapacities                             storage.k8s.io/v1                 true         CSIStorageCapacity\n"
    "storageclasses                      sc           storage.k8s.io/v1                 false        StorageClass\n"
    "volumeattachments                                storage.k8s.io/v1                 false        VolumeAttachment\n"
)


def kubectl(line: str) -> str:
    """Discovery needs no cluster state: the command as `kubectl.main` dispatches it."""
    argv = split_command_line(line)
    return READERS[argv[1]](None, argv[2:])  # type: ignore[arg-type]


def test_matches_recorded_table() -> None:
    assert kubectl("kubectl api-resources") == RECORDED


def test_no_headers_and_name_output() -> None:
    # Without the header row the columns are as wide as their widest cell (text/tabwriter).
    rows = [line.split() for line in RECORDED.splitlines()[1:]]
    assert [
        line.split() for line in kubectl("kubectl api-resources --no-headers").splitlines()
    ] == rows
    names = kubectl("kubectl api-resources -o name").splitlines()
    # apiresources printer NamePrinter @ v0.33.1: `plural.group`, the core group bare.
    assert names[:3] == ["bindings", "componentstatuses", "configmaps"]
    assert "deployments.apps" in names
    assert "customresourcedefinitions.apiextensions.k8s.io" in names
    assert len(names) == 60


def test_filters() -> None:
    # apiresources.go @ v0.33.1: --api-group, --namespaced (only when set) and --verbs (all of
    # them) filter; the table keeps its columns.
    assert kubectl("kubectl api-resources --api-group=apps -o name").split() == [
        "controllerrevisions.apps",
        "daemonsets.apps",
        "deployments.apps",
        "replicasets.apps",
        "statefulsets.apps",
    ]
    core = kubectl("kubectl api-resources --api-group= --namespaced=false -o name")
    assert core.split() == ["componentstatuses", "namespaces", "nodes", "persistentvolumes"]
    created = kubectl("kubectl api-resources --verbs=create --api-group=authentication.k8s.io")
    assert created == (
        "NAME                 SHORTNAMES   APIVERSION                 NAMESPACED   KIND\n"
        "selfsubjectreviews                authentication.k8s.io/v1   false        SelfSubjectReview\n"
        "tokenreviews                      authentication.k8s.io/v1   false        TokenReview\n"
    )
    assert "tokenreviews" not in kubectl("kubectl api-resources --verbs=list,get -o name")


def test_wide_adds_verbs_and_categories() -> None:
    # apiresources printer HumanReadablePrinter @ v0.33.1: VERBS and CATEGORIES comma-joined.
    text = kubectl("kubectl api-resources -o wide --api-group=batch")
    assert text == (
        "NAME       SHORTNAMES   APIVERSION   NAMESPACED   KIND      VERBS"
        "                                                        CATEGORIES\n"
        "cronjobs   cj           batch/v1     true         CronJob   "
        "create,delete,deletecollection,get,list,patch,update,watch   all\n"
        "jobs                    batch/v1     true         Job       "
        "create,delete,deletecollection,get,list,patch,update,watch   all\n"
    )


def test_sort_by_kind() -> None:
    # sortableResource.Less @ v0.33.1: the field, then the resource name.
    names = kubectl("kubectl api-resources --sort-by=kind -o name").split()
    assert names[:3] == [
        "apiservices.apiregistration.k8s.io",
        "bindings",
        "csidrivers.storage.k8s.io",  # Go strings.Compare is bytewise: "CSI" < "Cer"
    ]
    assert names.index("events") < names.index("events.events.k8s.io")


def test_refusals() -> None:
    with pytest.raises(KubectlError) as error:
        kubectl("kubectl api-resources --sort-by=age")
    assert str(error.value) == "error: --sort-by accepts only name or kind"
    with pytest.raises(KubectlError) as error:
        kubectl("kubectl api-resources -o table")
    # cli-runtime NoCompatiblePrinterError: the allowed formats sorted.
    assert str(error.value) == (
        'error: unable to match a printer suitable for the output format "table", '
        "allowed formats are: json,name,wide,yaml"
    )
    with pytest.raises(KubectlError) as error:
        kubectl("kubectl api-resources pods")
    assert str(error.value) == (
        "error: unexpected arguments: [pods]\nSee 'kubectl api-resources -h' for help and examples"
    )
