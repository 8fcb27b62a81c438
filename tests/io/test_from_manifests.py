"""`Cluster.from_manifests`: a `kubectl get -o yaml` dump loaded as observed, never re-allocated.

The hand-written dump is a kind cluster made with non-default subnets (kind's networking
serviceSubnet 10.100.0.0/16, podSubnet 10.200.0.0/16, on a 172.19.0.0/16 Docker network, CoreDNS
serving corp.local), printed as kubectl prints it: a `List` with items, resourceVersion, uid and
status, and a single object; one pod of the Service is not ready.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenet_nb import Cluster, KubenetError

NODES = """\
apiVersion: v1
items:
- apiVersion: v1
  kind: Node
  metadata:
    creationTimestamp: "2025-06-02T09:00:00Z"
    labels:
      kubernetes.io/hostname: lab-control-plane
      kubernetes.io/os: linux
      node-role.kubernetes.io/control-plane: ""
    name: lab-control-plane
    resourceVersion: "512"
    uid: 6a1f1f0e-94c1-4a8e-9a57-1c1f8d0b2a01
  spec:
    podCIDR: 10.200.0.0/24
    podCIDRs:
    - 10.200.0.0/24
    providerID: kind://docker/lab/lab-control-plane
    taints:
    - effect: NoSchedule
      key: node-role.kubernetes.io/control-plane
  status:
    addresses:
    - address: 172.19.0.3
      type: InternalIP
    - address: lab-control-plane
      type: Hostname
    conditions:
    - lastHeartbeatTime: "2025-06-02T09:10:00Z"
      lastTransitionTime: "2025-06-02T09:00:20Z"
      message: kubelet is posting ready status
      reason: KubeletReady
      status: "True"
      type: Ready
    nodeInfo:
      architecture: amd64
      bootID: b1
      containerRuntimeVersion: containerd://2.1.1
      kernelVersion: 6.8.0
      kubeProxyVersion: ""
      kubeletVersion: v1.33.1
      machineID: m1
      operatingSystem: linux
      osImage: Debian GNU/Linux 12 (bookworm)
      systemUUID: s1
- apiVersion: v1
  kind: Node
  metadata:
    creationTimestamp: "2025-06-02T09:00:30Z"
    labels:
      kubernetes.io/hostname: lab-worker
      kubernetes.io/os: linux
    name: lab-worker
    resourceVersion: "640"
    uid: 6a1f1f0e-94c1-4a8e-9a57-1c1f8d0b2a02
  spec:
    podCIDR: 10.200.1.0/24
    podCIDRs:
    - 10.200.1.0/24
    providerID: kind://docker/lab/lab-worker
  status:
    addresses:
    - address: 172.19.0.2
      type: InternalIP
    - address: lab-worker
      type: Hostname
    conditions:
    - lastHeartbeatTime: "2025-06-02T09:10:00Z"
      lastTransitionTime: "2025-06-02T09:00:50Z"
      message: kubelet is posting ready status
      reason: KubeletReady
      status: "True"
      type: Ready
kind: List
metadata:
  resourceVersion: ""
"""

POD = """\
- apiVersion: v1
  kind: Pod
  metadata:
    creationTimestamp: "2025-06-02T09:05:00Z"
    generateName: shop-7b9d5c6f4-
    labels:
      app: shop
      pod-template-hash: 7b9d5c6f4
    name: {name}
    namespace: default
    resourceVersion: "{rv}"
    uid: 0c9d7a52-1d4e-4e0b-8a55-0000000000{rv}
  spec:
    containers:
    - image: nginx:1.27
      imagePullPolicy: IfNotPresent
      name: nginx
      ports:
      - containerPort: 80
        protocol: TCP
    nodeName: lab-worker
    serviceAccountName: default
  status:
    conditions:
    - lastProbeTime: null
      lastTransitionTime: "2025-06-02T09:05:03Z"
      status: "{ready}"
      type: Ready
    containerStatuses:
    - image: docker.io/library/nginx:1.27
      imageID: ""
      name: nginx
      ready: {ready_bool}
      restartCount: 0
      started: true
      state:
        running:
          startedAt: "2025-06-02T09:05:02Z"
    hostIP: 172.19.0.2
    hostIPs:
    - ip: 172.19.0.2
    phase: Running
    podIP: {ip}
    podIPs:
    - ip: {ip}
    qosClass: BestEffort
    startTime: "2025-06-02T09:05:00Z"
"""

SHOP = (
    "apiVersion: v1\nitems:\n"
    + POD.format(
        name="shop-7b9d5c6f4-2k8xq", rv=701, ready="True", ready_bool="true", ip="10.200.1.14"
    )
    + POD.format(
        name="shop-7b9d5c6f4-9wq5m", rv=702, ready="False", ready_bool="false", ip="10.200.1.15"
    )
    + """\
- apiVersion: v1
  kind: Service
  metadata:
    creationTimestamp: "2025-06-02T09:04:00Z"
    name: kubernetes
    namespace: default
    resourceVersion: "200"
    uid: 0c9d7a52-1d4e-4e0b-8a55-000000000200
  spec:
    clusterIP: 10.100.0.1
    clusterIPs:
    - 10.100.0.1
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - name: https
      port: 443
      protocol: TCP
      targetPort: 6443
    sessionAffinity: None
    type: ClusterIP
  status:
    loadBalancer: {}
- apiVersion: v1
  kind: Service
  metadata:
    creationTimestamp: "2025-06-02T09:04:00Z"
    name: shop
    namespace: default
    resourceVersion: "650"
    uid: 0c9d7a52-1d4e-4e0b-8a55-000000000650
  spec:
    clusterIP: 10.100.88.8
    clusterIPs:
    - 10.100.88.8
    externalTrafficPolicy: Cluster
    internalTrafficPolicy: Cluster
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - nodePort: 30777
      port: 8080
      protocol: TCP
      targetPort: 80
    selector:
      app: shop
    sessionAffinity: None
    type: NodePort
  status:
    loadBalancer: {}
- apiVersion: v1
  kind: Service
  metadata:
    creationTimestamp: "2025-06-02T09:04:00Z"
    name: front
    namespace: default
    resourceVersion: "660"
    uid: 0c9d7a52-1d4e-4e0b-8a55-000000000660
  spec:
    allocateLoadBalancerNodePorts: true
    clusterIP: 10.100.9.9
    clusterIPs:
    - 10.100.9.9
    externalTrafficPolicy: Cluster
    ports:
    - nodePort: 31001
      port: 80
      protocol: TCP
      targetPort: 80
    selector:
      app: shop
    type: LoadBalancer
  status:
    loadBalancer:
      ingress:
      - ip: 172.18.255.200
        ipMode: VIP
- addressType: IPv4
  apiVersion: discovery.k8s.io/v1
  endpoints:
  - addresses:
    - 10.200.1.14
    conditions:
      ready: true
      serving: true
      terminating: false
    nodeName: lab-worker
    targetRef:
      kind: Pod
      name: shop-7b9d5c6f4-2k8xq
      namespace: default
      uid: 0c9d7a52-1d4e-4e0b-8a55-000000000701
  - addresses:
    - 10.200.1.15
    conditions:
      ready: false
      serving: false
      terminating: false
    nodeName: lab-worker
    targetRef:
      kind: Pod
      name: shop-7b9d5c6f4-9wq5m
      namespace: default
      uid: 0c9d7a52-1d4e-4e0b-8a55-000000000702
  kind: EndpointSlice
  metadata:
    creationTimestamp: "2025-06-02T09:05:04Z"
    generateName: shop-
    labels:
      endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
      kubernetes.io/service-name: shop
    name: shop-x7c2p
    namespace: default
    resourceVersion: "703"
    uid: 0c9d7a52-1d4e-4e0b-8a55-000000000703
  ports:
  - name: ""
    port: 80
    protocol: TCP
- apiVersion: v1
  kind: Event
  metadata:
    name: shop-7b9d5c6f4-2k8xq.17f0
    namespace: default
  involvedObject:
    kind: Pod
    name: shop-7b9d5c6f4-2k8xq
  reason: Started
- apiVersion: example.com/v1
  kind: Widget
  metadata:
    name: not-a-kind-the-simulation-serves
    namespace: default
kind: List
metadata:
  resourceVersion: ""
"""
)

COREDNS = """\
apiVersion: v1
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes corp.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        forward . /etc/resolv.conf
        cache 30
    }
kind: ConfigMap
metadata:
  creationTimestamp: "2025-06-02T09:00:10Z"
  name: coredns
  namespace: kube-system
  resourceVersion: "231"
  uid: 0c9d7a52-1d4e-4e0b-8a55-000000000231
"""


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    """The dump as a folder: lists, a single object, and a file that is not a manifest."""
    folder = tmp_path / "dump"
    (folder / "system").mkdir(parents=True)
    (folder / "nodes.yaml").write_text(NODES)
    (folder / "shop.yml").write_text(SHOP)
    (folder / "system" / "coredns.yaml").write_text(COREDNS)
    (folder / "README.txt").write_text("kind: this is not read\n")
    return folder


def test_objects_keep_their_observed_ips_ports_and_readiness(dump: Path) -> None:
    c = Cluster.from_manifests(dump)
    shop = c.get("svc", "shop")
    assert (shop["spec"]["clusterIP"], shop["spec"]["ports"][0]["nodePort"]) == (
        "10.100.88.8",
        30777,
    )
    assert shop["metadata"]["uid"] == "0c9d7a52-1d4e-4e0b-8a55-000000000650"
    pods = {p["metadata"]["name"]: p for p in c.list("pods")}
    assert {name: p["status"]["podIP"] for name, p in pods.items()} == {
        "shop-7b9d5c6f4-2k8xq": "10.200.1.14",
        "shop-7b9d5c6f4-9wq5m": "10.200.1.15",
    }
    [endpoint_slice] = c.list("endpointslices", selector="kubernetes.io/service-name=shop")
    assert endpoint_slice["metadata"]["name"] == "shop-x7c2p"
    assert [e["conditions"]["ready"] for e in endpoint_slice["endpoints"]] == [True, False]
    assert [n["spec"]["podCIDR"] for n in c.list("nodes")] == ["10.200.0.0/24", "10.200.1.0/24"]
    assert c.list("events") == []
    assert "Widget" not in repr(c.control_plane.store.list("Pod"))


def test_the_settings_come_from_the_objects(dump: Path) -> None:
    settings = Cluster.from_manifests(dump).settings
    assert settings.name == "lab"
    assert settings.service_cidr == "10.100.0.0/16"
    assert settings.pod_cidr == "10.200.0.0/16"
    assert settings.node_network == "172.19.0.0/16"
    assert settings.cluster_domain == "corp.local"


def test_traffic_goes_to_the_ready_endpoint_only(dump: Path) -> None:
    c = Cluster.from_manifests(dump)
    rules = c.iptables_save(node="lab-worker")
    assert "-A KUBE-SERVICES -d 10.100.88.8/32 -p tcp" in rules
    assert "--to-destination 10.200.1.14:80" in rules
    assert "10.200.1.15:80" not in rules
    trace = c.trace("lab-control-plane", "10.100.88.8:8080", seed=3)
    assert (trace.verdict, trace.endpoint) == ("delivered", "10.200.1.14:80")
    assert c.resolve("shop.default.svc.corp.local").addresses == ["10.100.88.8"]


def test_later_objects_never_get_an_observed_ip_or_port(dump: Path) -> None:
    c = Cluster.from_manifests(dump)
    for name in ("a", "b", "c"):
        c.kubectl(f"create service nodeport {name} --tcp=80")
    created = [c.get("svc", name)["spec"] for name in ("a", "b", "c")]
    assert {s["clusterIP"] for s in created}.isdisjoint({"10.100.0.1", "10.100.88.8"})
    assert all(s["clusterIP"].startswith("10.100.") for s in created)
    assert {30777, 31001}.isdisjoint({s["ports"][0]["nodePort"] for s in created})
    c.kubectl("create service loadbalancer back --tcp=80")
    ingress = c.get("svc", "back")["status"]["loadBalancer"]["ingress"]
    assert ingress[0]["ip"] != "172.18.255.200"
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "extra"},
        "spec": {"nodeName": "lab-worker", "containers": [{"name": "c", "image": "nginx"}]},
    }
    c.create(pod)
    ip = c.get("pod", "extra")["status"]["podIP"]
    assert ip.startswith("10.200.1.")
    assert ip not in {"10.200.1.14", "10.200.1.15"}


def test_a_single_file_is_a_dump_too(tmp_path: Path) -> None:
    path = tmp_path / "nodes.yaml"
    path.write_text(NODES)
    c = Cluster.from_manifests(path)
    assert [n["metadata"]["name"] for n in c.list("nodes")] == ["lab-control-plane", "lab-worker"]
    assert [ns["metadata"]["name"] for ns in c.list("namespaces")] == ["default"]


def test_a_simulated_cluster_dumped_and_loaded_is_the_same(tmp_path: Path) -> None:
    c = Cluster(workers=2)
    c.kubectl("create deployment web --image=nginx --replicas=3 --port=80")
    c.kubectl("expose deployment web --port=80 --type=NodePort")
    kinds = "nodes,namespaces,services,endpointslices,endpoints,pods,deployments,replicasets"
    (tmp_path / "all.yaml").write_text(c.kubectl(f"get {kinds},daemonsets,configmaps -A -o yaml"))
    loaded = Cluster.from_manifests(tmp_path)
    assert loaded.iptables_save() == c.iptables_save()
    assert loaded.kubectl("get all -A -o wide") == c.kubectl("get all -A -o wide")


def test_a_missing_path_and_a_malformed_object_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KubenetError, match="does not exist"):
        Cluster.from_manifests(tmp_path / "nope")
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: 80}\n")
    with pytest.raises(KubenetError, match="cannot unmarshal"):
        Cluster.from_manifests(bad)
