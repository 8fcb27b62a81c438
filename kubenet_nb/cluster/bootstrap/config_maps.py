"""The ConfigMaps of a fresh kind cluster, built from its settings.

Sources: kubernetes/kubernetes @ v1.33.0 cmd/kubeadm/app/phases/addons/dns/manifests.go
(CoreDNSConfigMap), cmd/kubeadm/app/phases/addons/proxy/manifests.go (KubeProxyConfigMap19),
cmd/kubeadm/app/phases/uploadconfig (kubeadm-config, kubelet-config),
cmd/kubeadm/app/phases/bootstraptoken/clusterinfo (cluster-info),
pkg/controlplane/controller/clusterauthenticationtrust (extension-apiserver-authentication),
pkg/controlplane/controller/legacytokentracking (kube-apiserver-legacy-service-account-token-
tracking), pkg/controller/certificates/rootcacertpublisher (kube-root-ca.crt); kubernetes-sigs/kind
@ v0.29.0 pkg/cluster/internal/kubeadm/config.go (the kubeadm, kubelet and kube-proxy settings)
and pkg/build/nodeimage/const_storage.go (local-path-config). The marshalled component configs
(kube-proxy's config.conf, kubeadm's ClusterConfiguration, the kubelet's KubeletConfiguration)
list the fields kubeadm writes for kind's config; their zero-valued fields are best knowledge.
"""

from __future__ import annotations

import base64
import hashlib

from kubenet_nb.cluster.bootstrap.certificates import fake_certificate
from kubenet_nb.cluster.kind import KUBERNETES_VERSION, KindSettings

__all__ = [
    "ROOT_CA_CONFIG_MAP",
    "ROOT_CA_DESCRIPTION_ANNOTATION",
    "root_ca_config_map",
    "system_config_maps",
]

ROOT_CA_CONFIG_MAP = "kube-root-ca.crt"
"""rootcacertpublisher RootCACertConfigMapName; its one key is `ca.crt`."""
ROOT_CA_DESCRIPTION_ANNOTATION = "kubernetes.io/description"
ROOT_CA_DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters."
)
"""rootcacertpublisher DescriptionAnnotation and Description."""
BOOTSTRAP_TOKEN_ID = "abcdef"
"""kind's fixed bootstrap token abcdef.0123456789abcdef (kind pkg/cluster/internal/kubeadm)."""


def _config_map(namespace: str, name: str, data: dict[str, str]) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": data,
    }


def cluster_ca(settings: KindSettings) -> str:
    """The cluster CA (kubeadm's pki/ca.crt): a deterministic fake, see `fake_certificate`."""
    return fake_certificate(f"{settings.name}/ca")


def control_plane_endpoint(settings: KindSettings) -> str:
    """kind's controlPlaneEndpoint: the control-plane container's name, port 6443."""
    return f"https://{settings.name}-control-plane:6443"


def root_ca_config_map(namespace: str, settings: KindSettings) -> dict:
    """kube-root-ca.crt as the root-ca-cert-publisher writes it into every namespace."""
    config_map = _config_map(namespace, ROOT_CA_CONFIG_MAP, {"ca.crt": cluster_ca(settings)})
    config_map["metadata"]["annotations"] = {ROOT_CA_DESCRIPTION_ANNOTATION: ROOT_CA_DESCRIPTION}
    return config_map


def corefile(settings: KindSettings) -> str:
    """kubeadm's CoreDNSConfigMap Corefile for the cluster domain."""
    domain = settings.cluster_domain
    return f""".:53 {{
    errors
    health {{
       lameduck 5s
    }}
    ready
    kubernetes {domain} in-addr.arpa ip6.arpa {{
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }}
    prometheus :9153
    forward . /etc/resolv.conf {{
       max_concurrent 1000
    }}
    cache 30 {{
       disable success {domain}
       disable denial {domain}
    }}
    loop
    reload
    loadbalance
}}
"""


def kube_proxy_config(settings: KindSettings) -> str:
    """config.conf: kubeadm's marshalled KubeProxyConfiguration with kind's settings (the
    ConfigMap template's `|-` leaves no final newline)."""
    return f"""apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: {settings.pod_cidr}
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 1s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: iptables
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""
""".removesuffix("\n")


def kube_proxy_kubeconfig(settings: KindSettings) -> str:
    """kubeconfig.conf: kube-proxy reaches the API server with its ServiceAccount token."""
    return f"""apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: {control_plane_endpoint(settings)}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token"""


def cluster_configuration(settings: KindSettings) -> str:
    """kubeadm-config's ClusterConfiguration (kubeadm.k8s.io/v1beta4, as kubeadm v1.33 uploads)."""
    return f"""apiServer:
  certSANs:
  - localhost
  - 127.0.0.1
  extraArgs:
  - name: runtime-config
    value: ""
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: {settings.name}
controlPlaneEndpoint: {settings.name}-control-plane:6443
controllerManager:
  extraArgs:
  - name: enable-hostpath-provisioner
    value: "true"
dns: {{}}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: {KUBERNETES_VERSION}
networking:
  dnsDomain: {settings.cluster_domain}
  podSubnet: {settings.pod_cidr}
  serviceSubnet: {settings.service_cidr}
proxy: {{}}
scheduler: {{}}
"""


def kubelet_configuration(settings: KindSettings) -> str:
    """kubelet-config's KubeletConfiguration: kubeadm's defaults with kind's overrides."""
    return f"""apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
cgroupRoot: /kubelet
clusterDNS:
- {settings.service_ip(10)}
clusterDomain: {settings.cluster_domain}
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {{}}
evictionHard:
  imagefs.available: 0%
  nodefs.available: 0%
  nodefs.inodesFree: 0%
evictionPressureTransitionPeriod: 0s
failSwapOn: false
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageGCHighThresholdPercent: 100
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {{}}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
"""


def _base64url(data: bytes) -> str:
    """JWS's unpadded base64url."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def cluster_info(settings: KindSettings) -> dict[str, str]:
    """kube-public/cluster-info: the CA and endpoint for TLS bootstrap, and the bootstrap signer's
    detached JWS over it for token id abcdef (a fake signature, like the fake CA)."""
    ca = base64.b64encode(cluster_ca(settings).encode()).decode()
    kubeconfig = f"""apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {ca}
    server: {control_plane_endpoint(settings)}
  name: ""
contexts: null
current-context: ""
kind: Config
preferences: {{}}
users: null
"""
    header = _base64url(b'{"alg":"HS256","kid":"%s"}' % BOOTSTRAP_TOKEN_ID.encode())
    signature = _base64url(hashlib.sha256(kubeconfig.encode()).digest())
    return {
        "jws-kubeconfig-" + BOOTSTRAP_TOKEN_ID: f"{header}..{signature}",
        "kubeconfig": kubeconfig,
    }


def extension_apiserver_authentication(settings: KindSettings) -> dict[str, str]:
    """The authentication trust the API server publishes for extension API servers."""
    return {
        "client-ca-file": cluster_ca(settings),
        "requestheader-allowed-names": '["front-proxy-client"]',
        "requestheader-client-ca-file": fake_certificate(f"{settings.name}/front-proxy-ca"),
        "requestheader-extra-headers-prefix": '["X-Remote-Extra-"]',
        "requestheader-group-headers": '["X-Remote-Group"]',
        "requestheader-username-headers": '["X-Remote-User"]',
    }


LOCAL_PATH_CONFIG = {
    "config.json": """{
        "nodePathMap":[
        {
                "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",
                "paths":["/var/local-path-provisioner"]
        }
        ]
}""",
    "setup": """#!/bin/sh
set -eu
mkdir -m 0777 -p "$VOL_DIR\"""",
    "teardown": """#!/bin/sh
set -eu
rm -rf "$VOL_DIR\"""",
    "helperPod.yaml": """apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  priorityClassName: system-node-critical
  tolerations:
    - key: node.kubernetes.io/disk-pressure
      operator: Exists
      effect: NoSchedule
  containers:
  - name: helper-pod
    image: docker.io/kindest/local-path-helper:v20241212-8ac705d0
    imagePullPolicy: IfNotPresent""",
}
"""kind's local-path-config data, verbatim (const_storage.go)."""


def system_config_maps(settings: KindSettings, today: str) -> list[dict]:
    """Every ConfigMap of a fresh cluster but the kube-root-ca.crt ones (the publisher's job).

    `today` is the cluster's creation date (YYYY-MM-DD), when legacy token tracking began.
    """
    return [
        _config_map("kube-system", "coredns", {"Corefile": corefile(settings)}),
        _config_map(
            "kube-system",
            "extension-apiserver-authentication",
            extension_apiserver_authentication(settings),
        ),
        _config_map(
            "kube-system",
            "kube-apiserver-legacy-service-account-token-tracking",
            {"since": today},
        ),
        _config_map(
            "kube-system",
            "kube-proxy",
            {
                "config.conf": kube_proxy_config(settings),
                "kubeconfig.conf": kube_proxy_kubeconfig(settings),
            },
        ),
        _config_map(
            "kube-system",
            "kubeadm-config",
            {"ClusterConfiguration": cluster_configuration(settings)},
        ),
        _config_map("kube-system", "kubelet-config", {"kubelet": kubelet_configuration(settings)}),
        _config_map("kube-public", "cluster-info", cluster_info(settings)),
        _config_map("local-path-storage", "local-path-config", dict(LOCAL_PATH_CONFIG)),
    ]
