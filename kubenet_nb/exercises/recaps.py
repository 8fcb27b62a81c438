"""The recap of each notebook, by number: `recap("03")` at the end of notebook 03.

The "on a real kind cluster" commands run as written in a shell with kind v0.29, kubectl 1.33
and Docker: a cluster like the notebooks' (one control-plane node, two workers), the notebook's
objects, then what to look at on the nodes (`docker exec kind-worker iptables-save`, `ip
route`) and from pods. A client "outside the cluster" is a container on kind's Docker network,
which reaches the nodes' IPs on every platform, as the machine that runs kind does on Linux.
"""

from __future__ import annotations

from kubenet_nb.exercises.recap import Recap

__all__ = ["RECAPS", "recap"]

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"


def _kind_cluster(workers: int = 2) -> str:
    """kind's documented way to create a cluster from a configuration on standard input."""
    nodes = "\n".join(["- role: control-plane"] + ["- role: worker"] * workers)
    return (
        "cat <<EOF | kind create cluster --config=-\n"
        "kind: Cluster\n"
        "apiVersion: kind.x-k8s.io/v1alpha4\n"
        f"nodes:\n{nodes}\n"
        "EOF"
    )


KIND_CLUSTER = _kind_cluster()
OUTSIDE = "docker run --rm --network kind nicolaka/netshoot"
"""A client outside the cluster: a container on kind's Docker network, beside the nodes."""
NODE_IP = (
    "NODE_IP=$(kubectl get node {node} "
    "-o jsonpath='{{.status.addresses[?(@.type==\"InternalIP\")].address}}')"
)
NODE_PORT = "NODE_PORT=$(kubectl get service {service} -o jsonpath='{{.spec.ports[0].nodePort}}')"
LB_IP = (
    "LB_IP=$(kubectl get service {service} -o jsonpath='{{.status.loadBalancer.ingress[0].ip}}')"
)
CLOUD_PROVIDER_KIND = (
    "go install sigs.k8s.io/cloud-provider-kind@latest",
    'sudo "$(go env GOPATH)/bin/cloud-provider-kind"   # in a second terminal, left running',
)
"""kind's LoadBalancer guide: cloud-provider-kind runs on the host and serves the Services."""

RECAPS = {
    "00": Recap(
        title="00 Start here: a kind cluster in your notebook",
        saw=[
            "A fresh kind cluster: a tainted control-plane node, two workers, each node with a "
            "pod CIDR 10.244.N.0/24, and the system pods (CoreDNS, kindnet, kube-proxy).",
            "kubectl create deployment and kubectl expose: a Service with a ClusterIP from "
            "10.96.0.0/16, and an EndpointSlice that lists its pods.",
            "kube-proxy's NAT rules for the Service on a node: one jump per endpoint, picked "
            "with probability 1/3, then 1/2, then the rest.",
            "A pod resolving the Service's short name through its search path to the ClusterIP.",
        ],
        commands=[
            "kubectl get nodes -o wide",
            "kubectl get pods -A -o wide",
            "kubectl create deployment webapp1 --image=nginx --replicas=3 --port=80",
            "kubectl expose deploy webapp1 --port=80",
            "kubectl describe service webapp1",
            "kubectl get endpointslices -l kubernetes.io/service-name=webapp1 -o wide",
            'c.iptables_save(node="kind-worker")',
            'c.resolve("webapp1", from_pod=pod)',
        ],
        misconception=(
            "A Service is a process that traffic passes through. It is not: with kube-proxy in "
            "iptables mode (kind's default) its ClusterIP is on no interface; kube-proxy writes "
            "it into NAT rules on every node, and each node's kernel rewrites a new connection "
            "to one of the pods."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl get nodes -o wide",
            "kubectl create deployment webapp1 --image=nginx --replicas=3 --port=80",
            "kubectl expose deployment webapp1 --port=80",
            "kubectl get endpointslices -l kubernetes.io/service-name=webapp1 -o wide",
            "docker exec kind-worker iptables-save -t nat | grep default/webapp1",
            "kubectl run client --rm -it --image=nicolaka/netshoot --restart=Never -- "
            "nslookup webapp1",
        ],
    ),
    "01": Recap(
        title="01 Containers in one pod share one network",
        saw=[
            "The containers of a pod have one IP, one localhost and one set of port numbers "
            "between them.",
            "A sidecar reaches nginx on localhost:80; another pod's localhost is its own, so it "
            "needs the pod's IP.",
            "containerPort opens nothing: nginx listens on 80 whatever the pod declares.",
            "Two containers declaring the same port: the API server only warns; the second "
            "nginx cannot bind port 80 and the kubelet keeps restarting it.",
        ],
        commands=[
            "kubectl apply -f -   (pod web: nginx and a netshoot sidecar)",
            "kubectl exec web -c sidecar -- curl -sI localhost:80",
            "kubectl exec other -- curl -sS localhost:80",
            'c.trace("web", "127.0.0.1:80")',
            "kubectl get pod clash",
        ],
        misconception=(
            "Declaring a containerPort opens it, and each container has its own localhost. "
            "Neither: the process decides where it listens, and all containers of a pod share "
            "the pod's network namespace."
        ),
        on_kind=[
            KIND_CLUSTER,
            "cat <<EOF | kubectl apply -f -\n"
            "apiVersion: v1\n"
            "kind: Pod\n"
            "metadata:\n"
            "  name: web\n"
            "spec:\n"
            "  containers:\n"
            "  - name: nginx\n"
            "    image: nginx\n"
            "    ports:\n"
            "    - containerPort: 80\n"
            "  - name: sidecar\n"
            "    image: nicolaka/netshoot\n"
            '    command: ["sleep", "infinity"]\n'
            "EOF",
            "kubectl exec web -c sidecar -- curl -sI localhost:80",
            "kubectl exec web -c sidecar -- ss -tln",
            "kubectl run other --rm -it --image=nicolaka/netshoot --restart=Never -- "
            "curl -sS localhost:80",
        ],
    ),
    "02": Recap(
        title="02 Pod to pod: one flat network",
        saw=[
            "Each node owns a pod CIDR, a /24 of 10.244.0.0/16, and its pods get their IPs "
            "from it.",
            "A pod reaches another pod's IP on the same node and across nodes, and the server "
            "sees the client's own pod IP: no NAT.",
            "Each node routes the other nodes' pod CIDRs via their node IPs (kindnet), and "
            "KIND-MASQ-AGENT returns without masquerading for 10.244.0.0/16.",
            "A client outside the cluster has no route to pod IPs.",
        ],
        commands=[
            f"kubectl create deployment hello --image={AGNHOST} --replicas=3 --port=8080 -- "
            "/agnhost netexec --http-port=8080",
            "kubectl exec client -- curl -s <podIP>:8080/clientip",
            'c.trace("client", "<podIP>:8080")',
        ],
        misconception=(
            "Traffic between pods on different nodes is NATed to the node's address. It is "
            "not: the nodes route each other's pod CIDRs, and the receiver sees the sender's "
            "own pod IP."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl get nodes -o custom-columns=NAME:.metadata.name,POD-CIDR:.spec.podCIDR",
            f"kubectl create deployment hello --image={AGNHOST} --replicas=3 --port=8080 -- "
            "/agnhost netexec --http-port=8080",
            "kubectl get pods -o wide",
            "POD_IP=$(kubectl get pods -l app=hello -o jsonpath='{.items[0].status.podIP}')",
            "kubectl run client --rm -it --image=nicolaka/netshoot --restart=Never -- "
            "curl -s $POD_IP:8080/clientip",
            "docker exec kind-worker ip route",
            "docker exec kind-worker iptables-save -t nat | grep KIND-MASQ-AGENT",
        ],
    ),
    "03": Recap(
        title="03 Services and selectors",
        saw=[
            "A Service before any pod: a ClusterIP at once, an EndpointSlice with no "
            "endpoints, and a REJECT rule, so connections are refused.",
            "The selector picks pods by label, whoever created them; relabelling a pod takes it "
            "out of the EndpointSlice and the rules at once.",
            "Scaling adds endpoints and rules; a deleted pod stays as a terminating endpoint "
            "until it stops, while its replacement joins.",
            "The ClusterIP is on no interface (iptables and nftables modes; IPVS binds it to "
            "kube-ipvs0): a port the Service does not list goes nowhere.",
        ],
        commands=[
            "kubectl create service clusterip hello --tcp=80:8080",
            "kubectl get endpointslices -l kubernetes.io/service-name=hello -o wide",
            f"kubectl run extra --image={AGNHOST} --labels=app=hello --port=8080 -- "
            "netexec --http-port=8080",
            "kubectl label pod extra app=other --overwrite",
            "kubectl scale deployment hello --replicas=3",
            'c.endpoints_table(service="hello")',
            'c.rules_table("kind-worker", service="hello")',
        ],
        misconception=(
            "A Service belongs to a Deployment. It does not: it selects pods by their labels, "
            "whoever made them, and the EndpointSlice controller keeps that list current."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl create service clusterip hello --tcp=80:8080",
            "kubectl get endpointslices -l kubernetes.io/service-name=hello -o wide",
            f"kubectl create deployment hello --image={AGNHOST} --replicas=2 --port=8080 -- "
            "/agnhost netexec --http-port=8080",
            f"kubectl run extra --image={AGNHOST} --labels=app=hello --port=8080 -- "
            "netexec --http-port=8080",
            "kubectl get pods --show-labels",
            "kubectl label pod extra app=other --overwrite",
            "kubectl get endpointslices -l kubernetes.io/service-name=hello -o wide",
            "docker exec kind-worker iptables-save -t nat | grep default/hello",
        ],
    ),
    "04": Recap(
        title="04 Inside and outside: ClusterIP, NodePort and LoadBalancer",
        saw=[
            "A pod reaches a ClusterIP Service; the machine that runs kind, outside the "
            "cluster, waits for an answer that never comes: nothing routes the service range "
            "there.",
            "NodePort: the same port open on every node; the node that gets the connection "
            "DNATs it to a pod, wherever it runs, and masquerades it.",
            "LoadBalancer: an external IP in front of the nodes, on top of a ClusterIP and a "
            "node port of its own.",
        ],
        commands=[
            "kubectl expose deploy web --port=80",
            "kubectl expose deploy web --type=NodePort --name=web-nodeport --port=80",
            "kubectl expose deploy web --type=LoadBalancer --name=web-lb --port=80",
            'c.trace("172.18.0.1", f"{ip}:{node_port}").steps()',
        ],
        misconception=(
            "A ClusterIP is reachable from anywhere that reaches the nodes. It is not: it "
            "exists only in the nodes' rules, so only packets from pods and nodes use it; "
            "outside clients need a NodePort or a LoadBalancer."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl create deployment web --image=nginx --replicas=2 --port=80",
            "kubectl expose deployment web --port=80",
            "CLUSTER_IP=$(kubectl get service web -o jsonpath='{.spec.clusterIP}')",
            f"{OUTSIDE} curl -sS -m 2 http://$CLUSTER_IP",
            "kubectl expose deployment web --type=NodePort --name=web-nodeport --port=80",
            NODE_PORT.format(service="web-nodeport"),
            NODE_IP.format(node="kind-control-plane"),
            f"{OUTSIDE} curl -sI http://$NODE_IP:$NODE_PORT",
            *CLOUD_PROVIDER_KIND,
            "kubectl expose deployment web --type=LoadBalancer --name=web-lb --port=80",
            LB_IP.format(service="web-lb"),
            f"{OUTSIDE} curl -sI http://$LB_IP",
        ],
    ),
    "05": Recap(
        title="05 NodePort: one port on every node",
        saw=[
            "The node port answers on every node, also on one without a pod: KUBE-SERVICES "
            "sends packets for the node's own addresses to KUBE-NODEPORTS.",
            "The API server allocates the node port from 30000-32767, or checks yours; a "
            "number outside the range, or one already taken, is refused.",
            "port and targetPort take any number from 1 to 65535.",
            "externalTrafficPolicy: Cluster answers on every node and hides the client's "
            "address; Local answers only where a pod runs, and the pod sees the client.",
        ],
        commands=[
            "kubectl expose deployment echo --type=NodePort --port=80 --target-port=8080",
            "kubectl apply -f -   (nodePort: 30080, then nodePort: 8080)",
            'c.send("172.18.0.1", f"{node_ip}:{node_port}", n=1000)',
            'c.rules_table("kind-control-plane", table="nat")',
            'kubectl patch service echo -p \'{"spec":{"externalTrafficPolicy":"Local"}}\'',
        ],
        misconception=(
            "Service ports must be between 30000 and 32767. Only nodePort has that range; a "
            "Service's port and targetPort take 1-65535."
        ),
        on_kind=[
            KIND_CLUSTER,
            f"kubectl create deployment echo --image={AGNHOST} --replicas=2 --port=8080 -- "
            "/agnhost netexec --http-port=8080",
            "kubectl expose deployment echo --type=NodePort --port=80 --target-port=8080",
            NODE_PORT.format(service="echo"),
            NODE_IP.format(node="kind-control-plane"),
            f"{OUTSIDE} curl -s http://$NODE_IP:$NODE_PORT/clientip",
            "docker exec kind-control-plane iptables-save -t nat | grep KUBE-NODEPORTS",
            "kubectl scale deployment echo --replicas=1",
            "kubectl get pods -l app=echo -o wide",
            'kubectl patch service echo -p \'{"spec":{"externalTrafficPolicy":"Local"}}\'',
            f"{OUTSIDE} curl -sS -m 2 http://$NODE_IP:$NODE_PORT/clientip",
        ],
    ),
    "06": Recap(
        title="06 LoadBalancer: a cloud load balancer in front of the node ports",
        saw=[
            "The load balancer's address in status.loadBalancer.ingress and the EXTERNAL-IP "
            "column; the load-balancer IP and the node port lead to the same KUBE-EXT chain.",
            "Connections spread over the workers, never the control-plane node, which kind "
            "labels node.kubernetes.io/exclude-from-external-load-balancers.",
            "externalTrafficPolicy: Local adds a health-check node port: only nodes with a "
            "ready pod get traffic, and the pod sees the client's address.",
            "loadBalancerSourceRanges: kube-proxy's KUBE-FW chain lets listed clients in and "
            "drops the others at the load-balancer IP.",
        ],
        commands=[
            "kubectl expose deployment shop --type=LoadBalancer --port=80 --target-port=8080",
            "kubectl describe svc shop",
            "kubectl get nodes -l node.kubernetes.io/exclude-from-external-load-balancers",
            'c.trace("172.18.0.1", f"{lb_ip}:80", via="kind-worker2")',
            'kubectl patch service shop -p \'{"spec":{"externalTrafficPolicy":"Local"}}\'',
            "kubectl patch service shop -p "
            '\'{"spec":{"loadBalancerSourceRanges":["203.0.113.0/24"]}}\'',
        ],
        misconception=(
            "loadBalancerSourceRanges closes the Service to every other client. It guards the "
            "load-balancer IP only: the node port stays open to anyone who reaches a node."
        ),
        on_kind=[
            _kind_cluster(workers=3),
            *CLOUD_PROVIDER_KIND,
            f"kubectl create deployment shop --image={AGNHOST} --replicas=2 --port=8080 -- "
            "/agnhost netexec --http-port=8080",
            "kubectl expose deployment shop --type=LoadBalancer --port=80 --target-port=8080",
            "kubectl get service shop",
            LB_IP.format(service="shop"),
            f"{OUTSIDE} curl -s http://$LB_IP/hostname",
            "kubectl get nodes -l node.kubernetes.io/exclude-from-external-load-balancers",
            'kubectl patch service shop -p \'{"spec":{"externalTrafficPolicy":"Local"}}\'',
            "kubectl get service shop -o jsonpath='{.spec.healthCheckNodePort}'",
            # cloud-provider-kind's load balancer is a proxy (ipMode Proxy), where the
            # notebook's passes packets through (VIP): kube-proxy then writes no rule for the
            # load-balancer IP, but the node port stays open whatever the source ranges say.
            "kubectl get service shop -o jsonpath='{.status.loadBalancer.ingress[0].ipMode}'",
            "kubectl patch service shop -p "
            '\'{"spec":{"loadBalancerSourceRanges":["203.0.113.0/24"]}}\'',
            NODE_PORT.format(service="shop"),
            NODE_IP.format(node="kind-worker"),
            f"{OUTSIDE} curl -s http://$NODE_IP:$NODE_PORT/hostname",
        ],
    ),
    "07": Recap(
        title="07 Headless Services and cluster DNS",
        saw=[
            "A headless Service (clusterIP: None) resolves to the address of every ready pod, "
            "and kube-proxy writes no rules for it.",
            "SRV records for named ports, one per pod for a headless Service.",
            "hostname and subdomain give a pod a stable name under a headless Service.",
            "The search path and ndots:5: a name with fewer than five dots is tried with each "
            "search domain first; a name ending with a dot is asked once.",
            "An ExternalName Service is a CNAME in DNS and nothing else.",
        ],
        commands=[
            "kubectl exec client -- nslookup web-headless",
            "kubectl exec client -- nslookup -type=srv "
            "_http._tcp.web-headless.default.svc.cluster.local",
            "kubectl exec client -- cat /etc/resolv.conf",
            'c.resolve("web.default.svc.cluster.local", from_pod="client").tried',
            "kubectl create service externalname store --external-name=cart.shop.svc.cluster.local",
        ],
        misconception=(
            "A full name such as web.default.svc.cluster.local is looked up at once. It has "
            "four dots, fewer than ndots:5, so the resolver tries the three search domains "
            "first: four names, each asked for A and AAAA, eight queries. Only a trailing dot "
            "makes it one name."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl create deployment web --image=nginx --replicas=3 --port=80",
            "kubectl expose deployment web --name=web-headless --cluster-ip=None --port=80",
            "kubectl run client --image=nicolaka/netshoot -- sleep infinity",
            "kubectl exec client -- cat /etc/resolv.conf",
            "kubectl exec client -- nslookup web-headless",
            "kubectl exec client -- dig +search +showsearch web.default.svc.cluster.local",
            "kubectl -n kube-system get configmap coredns -o yaml",
        ],
    ),
    "08": Recap(
        title="08 kube-proxy under the hood",
        saw=[
            "A new connection's path: KUBE-SERVICES, the Service's KUBE-SVC chain, one "
            "KUBE-SEP chain per endpoint, whose DNAT rule rewrites the destination.",
            "With n endpoints, jump i carries --probability 1/(n-i+1): each endpoint gets 1/n.",
            "10,000 connections spread evenly over four pods.",
            "sessionAffinity: ClientIP adds recent --rcheck and --set rules that pin a client "
            "to one pod for 10800 seconds.",
        ],
        commands=[
            'c.rules_table(node, table="nat", service="web")',
            'c.trace("client", "web")',
            'c.send("client", "web", n=10_000)',
            "kubectl expose deployment web --name=sticky --port=80 --target-port=8080 "
            "--session-affinity=ClientIP",
        ],
        misconception=(
            "The probabilities 1/4, 1/3, 1/2 favour the later endpoints. The draws are "
            "conditional: each rule is only tried when the ones before it failed, which gives "
            "every endpoint the same share, 1/n."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl -n kube-system get configmap kube-proxy -o jsonpath='{.data.config\\.conf}' "
            "| grep mode",
            f"kubectl create deployment web --image={AGNHOST} --replicas=4 --port=8080 -- "
            "/agnhost netexec --http-port=8080",
            "kubectl expose deployment web --port=80 --target-port=8080",
            "docker exec kind-worker iptables -t nat -S KUBE-SERVICES",
            "docker exec kind-worker iptables-save -t nat | grep default/web",
            "kubectl expose deployment web --name=sticky --port=80 --target-port=8080 "
            "--session-affinity=ClientIP",
            "docker exec kind-worker iptables-save -t nat | grep default/sticky",
        ],
    ),
    "09": Recap(
        title="09 Readiness and EndpointSlices",
        saw=[
            "A pod whose readiness probe fails stays in the EndpointSlice with ready: false "
            "and serving: false; kube-proxy leaves it out.",
            "A terminating pod is listed ready: false, serving: true, terminating: true; "
            "kube-proxy uses such endpoints only when none is ready.",
            "A rolling update swaps ReplicaSets under an unchanged Service.",
        ],
        commands=[
            "c.set_ready(pod, False)",
            "kubectl get endpointslices -l kubernetes.io/service-name=web -o yaml",
            'c.endpoints_table(service="web")',
            'c.send("client", "web", n=300)',
            'c.delete("pod", pod)',
        ],
        misconception=(
            "A pod that fails its readiness probe is removed from the Service's endpoints. It "
            "stays in the EndpointSlice, marked not ready, and kube-proxy skips it."
        ),
        on_kind=[
            KIND_CLUSTER,
            "cat <<EOF | kubectl apply -f -\n"
            "apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata:\n"
            "  name: web\n"
            "spec:\n"
            "  replicas: 3\n"
            "  selector:\n"
            "    matchLabels: {app: web}\n"
            "  template:\n"
            "    metadata:\n"
            "      labels: {app: web}\n"
            "    spec:\n"
            "      containers:\n"
            "      - name: nginx\n"
            "        image: nginx\n"
            "        ports:\n"
            "        - containerPort: 80\n"
            "        readinessProbe:\n"
            '          exec: {command: [sh, -c, "test ! -e /tmp/sick"]}\n'
            "          periodSeconds: 2\n"
            "EOF",
            "kubectl expose deployment web --port=80",
            "POD=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')",
            "kubectl exec $POD -- touch /tmp/sick",
            "sleep 10",
            "kubectl get pods -l app=web",
            "kubectl get endpointslices -l kubernetes.io/service-name=web -o yaml",
            "docker exec kind-worker iptables-save -t nat | grep default/web",
        ],
    ),
    "10": Recap(
        title="10 Named ports and publishNotReadyAddresses",
        saw=[
            "A named targetPort resolves pod by pod: pods that give the name different numbers "
            "land in different EndpointSlices, and one Service port reaches both.",
            "publishNotReadyAddresses marks every endpoint ready, whatever its probe says, so "
            "kube-proxy sends traffic to a pod that fails its probe.",
            "On a headless Service the same setting makes DNS answer with every pod's address, "
            "which is what peer discovery wants.",
        ],
        commands=[
            "kubectl get endpointslices -l kubernetes.io/service-name=shop",
            'c.endpoints_table(service="shop")',
            "c.set_ready(pod, False)",
            'c.send("client", "web-all", n=300)',
            'c.resolve("web-peers", from_pod="client")',
        ],
        misconception=(
            "A Service's targetPort is one number for all its pods. A named targetPort is "
            "looked up in each pod, and each EndpointSlice carries the number its pods use."
        ),
        on_kind=[
            KIND_CLUSTER,
            "cat <<EOF | kubectl apply -f -\n"
            + "---\n".join(
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                f"metadata: {{name: shop-{version}}}\n"
                "spec:\n"
                "  replicas: 2\n"
                f"  selector: {{matchLabels: {{app: shop, version: {version}}}}}\n"
                "  template:\n"
                f"    metadata: {{labels: {{app: shop, version: {version}}}}}\n"
                "    spec:\n"
                "      containers:\n"
                "      - name: agnhost\n"
                f"        image: {AGNHOST}\n"
                f"        args: [netexec, --http-port={port}]\n"
                f"        ports: [{{name: http, containerPort: {port}}}]\n"
                for version, port in (("v1", 8080), ("v2", 9090))
            )
            + "---\n"
            "apiVersion: v1\n"
            "kind: Service\n"
            "metadata: {name: shop}\n"
            "spec:\n"
            "  selector: {app: shop}\n"
            "  ports: [{port: 80, targetPort: http}]\n"
            "EOF",
            "kubectl get endpointslices -l kubernetes.io/service-name=shop -o yaml",
        ],
    ),
    "11": Recap(
        title='11 Troubleshooting: "my Service does not route"',
        saw=[
            "Three causes, one refusal: a selector that matches no pod, a targetPort nothing "
            "listens on, no ready pod.",
            "The endpoints tell the first and third apart (no pods matched; pods listed, none "
            "ready); for the second the endpoints look fine and a trace ends in a reset from "
            "the pod.",
        ],
        commands=[
            "kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop",
            'c.endpoints_table(service="shop")',
            "kubectl get pods -l app=shop,tier=frontend",
            'c.trace("client", "shop")',
        ],
        misconception=(
            "A Service whose EndpointSlice lists ready endpoints works. Not necessarily: the "
            "EndpointSlice controller does not check that anything listens on a numeric "
            "targetPort; a trace (or curl) shows the pod's reset."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl create deployment shop --image=nginx --replicas=2 --port=80",
            "kubectl expose deployment shop --port=80 --target-port=8080",
            "kubectl run client --image=nicolaka/netshoot -- sleep infinity",
            "kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://shop",
            "kubectl describe service shop",
            "kubectl get endpointslices -l kubernetes.io/service-name=shop -o wide",
            "kubectl get pods --show-labels",
            "kubectl get events --field-selector reason=Unhealthy",
        ],
    ),
    "12": Recap(
        title="12 Troubleshooting, continued: named ports, namespaces and a checklist",
        saw=[
            "A named targetPort the pods do not define: the pods are matched, the EndpointSlice "
            "lists them with no port, and kube-proxy has nothing to send to.",
            "A short name from another namespace: every search domain answers NXDOMAIN; "
            "name.namespace resolves.",
            "The checklist, from the client inward: the name, the endpoints, then the trace.",
        ],
        commands=[
            "kubectl get endpointslices -l kubernetes.io/service-name=shop",
            "kubectl patch deployment shop --type=json -p '[...]'   (name the port http)",
            'c.resolve("db", from_pod="client")',
            "kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://db.backend",
        ],
        misconception=(
            "A Service's name works from every namespace. A short name is completed with the "
            "client's own namespace first; a Service elsewhere needs name.namespace (or the "
            "full name)."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl create namespace backend",
            "kubectl create deployment db --image=nginx --port=80 -n backend",
            "kubectl expose deployment db --port=80 -n backend",
            "kubectl run client --image=nicolaka/netshoot -- sleep infinity",
            "kubectl exec client -- cat /etc/resolv.conf",
            "kubectl exec client -- curl -sS -m 5 http://db",
            "kubectl exec client -- curl -sS -o /dev/null -w '%{http_code}' http://db.backend",
        ],
    ),
    "13": Recap(
        title="13 Your own application: many documents in one file",
        saw=[
            "kubectl apply -f sends every document of a file and prints one line per object; "
            "a refused document prints its error after the others and the command exits 1.",
            "Deployments listed before their ServiceAccounts: the first pods are refused by "
            "ServiceAccount admission (FailedCreate), and the ReplicaSets retry until the "
            "accounts exist.",
            "A request from one microservice to another goes through its Service like any other.",
        ],
        commands=[
            "kubectl apply -f manifests/online-boutique.yaml",
            "kubectl get deployments",
            'c.trace(frontend, "cartservice:7070")',
        ],
        misconception=(
            "The order of the documents in a file must follow their dependencies or the apply "
            "fails. It does not fail: every object is created, and the controllers retry what "
            "could not happen yet."
        ),
        on_kind=[
            "kind create cluster",
            "kubectl apply -f https://raw.githubusercontent.com/GoogleCloudPlatform/"
            "microservices-demo/34ffea9175946982c3088ed84994fe6019ad6e92/release/"
            "kubernetes-manifests.yaml",
            "kubectl get events --field-selector reason=FailedCreate",
            "kubectl get deployments",
        ],
    ),
    "14": Recap(
        title="14 NetworkPolicy: who may talk to whom",
        saw=[
            "Before any policy every pod reaches every other: a pod is isolated for a direction "
            "only once a policy selects it for that direction, and policies only ever allow.",
            "A default-deny ingress policy in shop: nothing gets in, not even from the shop's "
            "own pods, and curl ends in a timeout (exit code 28): kind drops the packet and "
            "answers nothing.",
            "In `from`, items are ORed and the selectors of one item ANDed: one dash more let "
            "every pod of namespace other in.",
            "The policy judges the connection after kube-proxy's DNAT, on the pod's IP and "
            "targetPort: a rule for the Service's port 80 let nothing in; a named port is "
            "looked up on the destination pod.",
            "An ipBlock holding a pod's IP stopped matching once the pod was replaced.",
            "Default-deny egress blocks DNS too: nslookup timed out and curl could not resolve "
            "the host; a rule must allow UDP and TCP 53 to the CoreDNS pods in kube-system.",
        ],
        commands=[
            "kubectl get netpol -A",
            "kubectl apply -f -   (a NetworkPolicy)",
            "kubectl describe netpol default-deny-ingress -n shop",
            "c.reachability(port=8080)",
            "kubectl exec -n other client -- curl -sS -m 2 http://frontend.shop/hostname",
            'c.trace("other/client", "frontend.shop", seed=1)',
            "kubectl exec -n shop deploy/frontend -- nslookup backend",
        ],
        misconception=(
            "NetworkPolicy denies by default, and a blocked connection is refused. Nothing is "
            "denied until a policy selects the pod; what a policy does not allow, kind drops "
            "without an answer, so the client times out. A refusal means that nothing listens, "
            "or that the Service has no endpoints."
        ),
        on_kind=[
            KIND_CLUSTER,
            "kubectl create namespace shop",
            "kubectl create namespace other",
            f"kubectl create deployment frontend -n shop --image={AGNHOST} --port=8080 -- "
            "/agnhost netexec --http-port=8080",
            "kubectl expose deployment frontend -n shop --port=80 --target-port=8080",
            "kubectl run client -n other --image=nicolaka/netshoot -- sleep infinity",
            "kubectl wait -n other --for=condition=Ready pod/client",
            "kubectl exec -n other client -- curl -sS -m 2 http://frontend.shop/hostname",
            "cat <<EOF | kubectl apply -f -\n"
            "apiVersion: networking.k8s.io/v1\n"
            "kind: NetworkPolicy\n"
            "metadata: {name: default-deny, namespace: shop}\n"
            "spec:\n"
            "  podSelector: {}\n"
            "  policyTypes: [Ingress, Egress]\n"
            "EOF",
            "kubectl get netpol -A",
            "kubectl describe netpol default-deny -n shop",
            "kubectl exec -n other client -- curl -sS -m 2 http://frontend.shop/hostname",
            "kubectl exec -n shop deploy/frontend -- nslookup kubernetes.default",
        ],
    ),
}
"""One recap per notebook, by its number."""


def recap(notebook: str) -> Recap:
    """The recap of a notebook, by number ("03") or by name ("03-services-and-selectors")."""
    number = notebook.split("-", 1)[0].zfill(2)
    if number not in RECAPS:
        raise KeyError(f"no recap for notebook {notebook!r}: there are {', '.join(RECAPS)}")
    return RECAPS[number]
