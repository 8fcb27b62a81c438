# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Pod to pod: one flat network
#
# Every pod gets an IP address of its own, and Kubernetes asks the network to let any pod reach any other pod at that address, on whatever node each runs, **without NAT**: what the receiver sees as the source is the sender's own pod IP. kind's network plugin (kindnet) does this with plain routes between the nodes. In this notebook you will:
#
# - see where pod IPs come from: each node's slice of the pod network, its pod CIDR;
# - connect to `<podIP>:<containerPort>` on the same node and on another node, and check the source address the server saw;
# - trace the same connections hop by hop;
# - see that a pod IP is not reachable from outside the cluster.

# %%
import ipaddress

import pandas as pd

import kubenet_nb
from kubenet_nb import Cluster

# %load_ext kubenet_nb
c = kubenet_nb.use(Cluster(seed=2))  # the seed fixes every name and IP; %kubectl runs on c

# %%
# %%kubectl
create deployment hello --image=registry.k8s.io/e2e-test-images/agnhost:2.52 --replicas=3 \
    --port=8080 -- /agnhost netexec --http-port=8080
run client --image=nicolaka/netshoot -- sleep infinity

# %% [markdown]
# `hello` runs agnhost, a small test server from the Kubernetes project: on port 8080 it answers `/hostname` with the pod's name and `/clientip` with the address and port the connection came from. `client` is a toolbox pod to connect from.

# %%
# %kubectl get pods -o wide

# %% [markdown]
# ## Where pod IPs come from
#
# Each node owns a slice of the cluster's pod network `10.244.0.0/16`: its **pod CIDR**, a `/24`. A pod's IP comes from the pod CIDR of the node it was scheduled to. To compute with the objects rather than read them, Python's `c.list(...)` and `c.get(...)` return what `kubectl get -o yaml` shows, as dicts:

# %%
cidrs = {node["metadata"]["name"]: node["spec"]["podCIDR"] for node in c.list("nodes")}
for node, cidr in cidrs.items():
    print(f"{node:20} {cidr}")

# %%
rows = []
for pod in c.list("pods"):
    node, ip = pod["spec"]["nodeName"], pod["status"]["podIP"]
    inside = ipaddress.ip_address(ip) in ipaddress.ip_network(cidrs[node])
    rows.append(
        {
            "pod": pod["metadata"]["name"],
            "IP": ip,
            "node": node,
            "node's pod CIDR": cidrs[node],
            "IP in that CIDR": inside,
        }
    )
pd.DataFrame(rows)

# %% [markdown]
# The picture shows the same: each node with its pod CIDR, each pod with its IP.

# %%
c.topology()

# %% [markdown]
# ## Straight to a pod IP
#
# `client` connects to a `hello` pod on its own node, then to one on another node, at `<podIP>:8080`. No Service is involved: the address is the pod's own.

# %%
client = c.get("pod", "client")
client_ip, client_node = client["status"]["podIP"], client["spec"]["nodeName"]
hello = c.list("pods", selector="app=hello")
near = next(p for p in hello if p["spec"]["nodeName"] == client_node)
far = next(p for p in hello if p["spec"]["nodeName"] != client_node)
print(f"client: {client_ip} on {client_node}")
for pod in (near, far):
    url = f"{pod['status']['podIP']}:8080"
    name = c.kubectl(f"exec client -- curl -s {url}/hostname")
    seen = c.kubectl(f"exec client -- curl -s {url}/clientip")
    print(f"{url} on {pod['spec']['nodeName']}: {name} saw the client as {seen}")


# %% [markdown]
# Both servers saw the connection come from `client`'s own IP (the port after the colon is the client's ephemeral source port). Nothing rewrote the source address on the way, not even between nodes.
#
# ## The same connections, hop by hop
#
# A trace shows why. The helper below keeps the routing decisions, the delivery and the reply, and one iptables rule: kindnet's `KIND-MASQ-AGENT` chain, which returns without masquerading for traffic to the pod network `10.244.0.0/16`.

# %%
def path(t):
    """The hops of a trace, without the iptables rules that let the packet pass unchanged."""
    hops = t.to_frame()
    keep = (hops.stage != "netfilter") | (hops.chain == "KIND-MASQ-AGENT")
    packet = None
    for hop in hops[keep].itertuples():
        print(f"{hop.stage:9} {hop.node:13} {hop.action}")
        if hop.rule:
            print(f"{'':24}{hop.rule}")
        if hop.src and (hop.src, hop.dst) != packet:
            packet = (hop.src, hop.dst)
            print(f"{'':24}packet {hop.src} → {hop.dst}")
    print(t.summary())


path(c.trace("client", f"{near['status']['podIP']}:8080"))

# %% [markdown]
# On one node, the packet leaves `client` through its veth into the node, the node's route for the other pod's IP sends it down that pod's veth, and it is delivered. Across nodes, the sending node routes the whole `10.244.N.0/24` of the other node via that node's IP; the other node then delivers it like a local packet:

# %%
far_trace = c.trace("client", f"{far['status']['podIP']}:8080")
path(far_trace)

# %%
c.topology(highlight=far_trace)

# %% [markdown]
# ## Any pod to any pod
#
# The same holds for every pair. Each `hello` pod connects to every other one, and `client` to all of them; the last column compares the source the server saw with the sender's own IP:

# %%
pods = [client, *hello]
rows = []
for src in pods:
    for dst in hello:
        if src is dst:
            continue
        t = c.trace(src["metadata"]["name"], f"{dst['status']['podIP']}:8080")
        rows.append(
            {
                "from": src["metadata"]["name"],
                "from node": src["spec"]["nodeName"],
                "to": f"{dst['status']['podIP']}:8080",
                "to node": dst["spec"]["nodeName"],
                "verdict": t.verdict,
                "source seen": t.source_seen,
                "sender's own IP": t.source_seen == src["status"]["podIP"],
            }
        )
pd.DataFrame(rows)

# %% [markdown]
# ## Not from outside
#
# Pod IPs only mean something inside the cluster: the nodes have routes to each other's pod CIDRs, but a machine outside has none. A client at `203.0.113.7` (an address reserved for examples) trying the same pod IP gets no answer at all:

# %%
outside = c.trace("203.0.113.7", f"{far['status']['podIP']}:8080")
print(outside)

# %% [markdown]
# Reaching pods from outside the cluster is what Services of type NodePort and LoadBalancer are for: later notebooks.
#
# ## Exercise
#
# `client` opens a connection straight to a `hello` pod on **another** node, at its pod IP and port 8080. Which source IP does that `hello` pod see? Use the cells above (or `kubectl exec client -- curl -s <podIP>:8080/clientip`), and put the address in `answer` as a string.

# %%
from kubenet_nb.exercises import pod_network

answer = ...  # an IP address, e.g. "10.0.0.1"
pod_network.POD_SOURCE_IP.check(c, answer)

# %% [markdown]
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("02")
