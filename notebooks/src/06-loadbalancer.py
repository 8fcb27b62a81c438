# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # LoadBalancer: a cloud load balancer in front of the node ports
#
# A `LoadBalancer` Service is a NodePort Service plus a load balancer outside the cluster, which a
# cloud provider creates for it (on AWS, an Elastic Load Balancer). Clients connect to one stable
# address; the load balancer spreads their connections over the nodes, and kube-proxy on each node
# does the rest. You will learn:
#
# - where the load balancer's address appears: `status.loadBalancer.ingress` and the EXTERNAL-IP
#   column;
# - how connections are spread over the nodes, and which node the load balancer leaves out;
# - what `externalTrafficPolicy: Local` adds: a health-check node port, so that only nodes with a
#   pod get traffic, and the client's address kept;
# - how `loadBalancerSourceRanges` lets some clients in and keeps others out, and what it does not
#   cover.

# %%
import kubenet_nb
from kubenet_nb import Cluster

# %load_ext kubenet_nb
c = kubenet_nb.use(Cluster(seed=6, workers=3))  # three workers: one will have no pod
outside = "172.18.0.1"  # the machine that runs kind: on kind's Docker network, not a node


# %% [markdown]
# Traces list every rule a packet meets; a trace's `steps()` keep only the hops that move the
# packet, rewrite its addresses or stop it, and the verdict.

# %%
# %%kubectl
create deployment shop --image=registry.k8s.io/e2e-test-images/agnhost:2.52 --replicas=2 --port=8080 -- /agnhost netexec --http-port=8080
expose deployment shop --type=LoadBalancer --port=80 --target-port=8080
get pods -o wide
get svc shop

# %% [markdown]
# ## The load balancer and its address
#
# The API server made `shop` like a NodePort Service: a ClusterIP and a node port (PORT(S)
# `80:nodePort/TCP`). Then a load-balancer controller saw a Service of type LoadBalancer, set up a
# load balancer for it and wrote the address into the Service's **status**, which kubectl shows as
# EXTERNAL-IP.
#
# kind runs on no cloud, and a stock kind cluster runs no such controller: there, EXTERNAL-IP
# stays `<pending>` for good. kind's documentation offers two ways to get one:
#
# - **cloud-provider-kind** (what kind's LoadBalancer page installs today): a program on the host
#   that starts one Envoy proxy container per Service on kind's Docker network; the Service's
#   address is that container's, the next free address after the nodes;
# - **MetalLB** (the way of kind's older docs): a controller in the cluster that hands out
#   addresses from a pool on kind's Docker network, here `172.18.255.200`–`172.18.255.250`.
#
# This notebook's cluster simulates MetalLB (`Cluster(load_balancer="metallb")`, the default).
# The same Service on the two other setups:

# %%
for setup in [None, "cloud-provider-kind"]:
    other = Cluster(seed=6, workers=3, load_balancer=setup)
    other.kubectl("create deployment shop --image=nginx --replicas=2")
    other.kubectl("expose deployment shop --type=LoadBalancer --port=80")
    print(f"load_balancer={setup!r}")
    print(other.kubectl("get svc shop"))

# %% [markdown]
# Back to this notebook's cluster. The status holds the address; `describe` shows it as
# `LoadBalancer Ingress`, and its events say who wrote it: MetalLB's controller,
# `metallb-controller`, with `IPAllocated`. (With cloud-provider-kind the events come from the
# `service-controller` of Kubernetes' cloud-provider library: `EnsuringLoadBalancer`, then
# `EnsuredLoadBalancer`.)

# %%
shop = c.get("svc", "shop")
print(shop["status"])
lb_ip = shop["status"]["loadBalancer"]["ingress"][0]["ip"]
node_port = shop["spec"]["ports"][0]["nodePort"]

# %%
# %kubectl describe svc shop

# %% [markdown]
# Load balancers differ in what a node receives from them. A proxy, such as AWS's classic ELB or
# cloud-provider-kind's Envoy, opens its own connection to the node's IP at the node port: its
# status says `ipMode: Proxy`, and kube-proxy then writes no rule for the load-balancer IP. A
# pass-through balancer forwards the client's packet as it is, still addressed to the
# load-balancer IP: that is `ipMode: VIP`, and it is what MetalLB does (it writes no ipMode; the
# API server fills in `VIP`). kube-proxy on the node is ready for both: the rule for the node port
# and the rule for the load-balancer IP lead to the same chain, `KUBE-EXT-…`, the Service's
# entrance for traffic from outside.

# %%
import pandas as pd

pd.set_option("display.max_colwidth", None)  # show rules whole
nat = c.rules_table("kind-worker", table="nat", service="shop")
to_ext = nat["target"].str.startswith("KUBE-EXT")
nat.loc[to_ext, ["chain", "matches", "target", "comment"]].reset_index(drop=True)

# %% [markdown]
# ## Spread over the nodes
#
# Three hundred new connections from the outside machine to the load balancer, counted by the node
# each one entered the cluster on. The simulation spreads them over the nodes as a cloud's
# pass-through balancer does. (MetalLB in layer-2 mode, which kind's older docs set up, is
# simpler: one node answers for the address and every connection enters there; cloud-provider-
# kind's Envoy spreads its own connections over the nodes' node ports.)

# %%
from collections import Counter

entered = Counter(c.trace(outside, f"{lb_ip}:80").entry_node for _ in range(300))
print(dict(sorted(entered.items())))

# %% [markdown]
# All three workers, and never the control-plane node: kind labels it
# `node.kubernetes.io/exclude-from-external-load-balancers`, and load balancers leave such nodes
# out.

# %%
# %kubectl get nodes -l node.kubernetes.io/exclude-from-external-load-balancers

# %% [markdown]
# `kind-worker2` runs no `shop` pod, yet gets its share: with the default
# `externalTrafficPolicy: Cluster`, its kube-proxy sends the connection on to a pod on another
# node, and masquerades the client, as a NodePort does. Over a thousand connections the two pods
# share the load evenly:

# %%
c.send(outside, f"{lb_ip}:80", n=1000)

# %%
via_worker2 = c.trace(outside, f"{lb_ip}:80", via="kind-worker2")
via_worker2.steps()

# %%
c.topology(selector="app=shop", highlight=via_worker2)

# %% [markdown]
# ## externalTrafficPolicy: Local and the health check
#
# With `Local`, a node sends outside traffic only to the Service's pods on that node, and the pod
# sees the client's real address. A node without a pod would drop it, so the load balancer must
# know which nodes to use. For that the API server allocates a second node port, the
# **health-check node port**, from the same range; kube-proxy serves a health check on it on every
# node, and a node passes only while it runs a ready pod of the Service. `kubectl patch`
# changes the policy:

# %%
# %%kubectl
patch service shop -p '{"spec":{"externalTrafficPolicy":"Local"}}'
get service shop -o jsonpath='{.spec.healthCheckNodePort}'


# %% [markdown]
# kube-proxy opens that port in the filter table of every node, and the Service's rules change.
# On `kind-worker`, which runs a pod, `KUBE-EXT-…` now ends in a jump to the chain of local
# endpoints (`KUBE-SVL-…`). On `kind-worker2`, which does not, it has no such jump, and
# `KUBE-EXTERNAL-SERVICES` drops what comes from outside:

# %%
def external_rules(node):
    rules = c.rules_table(node, service="shop")
    wanted = rules["chain"].str.startswith(("KUBE-EXT", "KUBE-NODEPORTS", "KUBE-SERVICES"))
    columns = ["table", "chain", "matches", "target", "comment"]
    return rules.loc[wanted, columns].reset_index(drop=True)


external_rules("kind-worker")

# %%
external_rules("kind-worker2")

# %% [markdown]
# The load balancer follows the health checks: it now sends only to the nodes that run a `shop`
# pod, and each connection stays on the node it entered, with the client's address intact.
# (MetalLB reaches the same end another way: it announces the address only from a node with a
# ready local pod. Behind cloud-provider-kind's Envoy the client's address is lost anyway: the
# node sees the proxy's connection.)

# %%
entered = Counter(c.trace(outside, f"{lb_ip}:80").entry_node for _ in range(300))
print(dict(sorted(entered.items())))
c.trace(outside, f"{lb_ip}:80").steps()

# %% [markdown]
# Had the load balancer sent a connection to `kind-worker2` anyway, it would have been lost:

# %%
print(c.trace(outside, f"{lb_ip}:80", via="kind-worker2").summary())

# %% [markdown]
# The picture marks the node ports that lead to local pods only, and the load balancer's arrows go
# to the two healthy workers:

# %%
c.topology(selector="app=shop", highlight=c.trace(outside, f"{lb_ip}:80"))

# %% [markdown]
# ## loadBalancerSourceRanges: who may connect
#
# `loadBalancerSourceRanges` lists the client address ranges allowed to use the load balancer.
# Cloud load balancers may enforce it themselves; kube-proxy enforces it on every node in any case,
# with a firewall chain, `KUBE-FW-…`, between the load-balancer IP and the Service. Here only
# `203.0.113.0/24` may connect:

# %%
# %kubectl patch service shop -p '{"spec":{"loadBalancerSourceRanges":["203.0.113.0/24"]}}'

# %%
rules = c.rules_table("kind-worker", service="shop")
firewall = rules["chain"].str.startswith(("KUBE-FW", "KUBE-PROXY-FIREWALL"))
firewall |= rules["target"].str.startswith("KUBE-FW")
rules.loc[firewall, ["table", "chain", "matches", "target", "comment"]].reset_index(drop=True)

# %% [markdown]
# A client inside the range goes through `KUBE-FW-…` to the Service; any other falls through it
# unchanged, still addressed to the load-balancer IP, and the filter table's
# `KUBE-PROXY-FIREWALL` drops it:

# %%
allowed = c.trace("203.0.113.7", f"{lb_ip}:80")
allowed.steps(chains=["KUBE-FW", "KUBE-PROXY-FIREWALL"])

# %%
refused = c.trace("198.51.100.9", f"{lb_ip}:80")
refused.steps(chains=["KUBE-FW", "KUBE-PROXY-FIREWALL"])

# %% [markdown]
# The ranges guard the load-balancer IP only. The Service's node port is still open on every node,
# and the refused client gets in through it:

# %%
addresses = c.get("node", "kind-worker")["status"]["addresses"]
node_ip = next(a["address"] for a in addresses if a["type"] == "InternalIP")
print(c.trace("198.51.100.9", f"{node_ip}:{node_port}").summary())

# %% [markdown]
# So the nodes themselves must be kept out of reach of clients that the ranges are meant to keep
# out, with the cloud's own firewall for instance.
#
# ## Exercise: keep the client's address
#
# The set-up below creates Deployment `store` and a LoadBalancer Service `store` for it, with the
# default `externalTrafficPolicy: Cluster`. Your task: the `store` pods need the outside client's
# own address, `172.18.0.1`, in their access logs. Change Service `store` so that they see it,
# keeping it a LoadBalancer, with `%kubectl` in the empty cell, then run the check: it traces a
# few connections from the outside machine to the load balancer's address.

# %%
from kubenet_nb.exercises import KEEP_CLIENT_TASK as task

task.setup(c)

# %%
# Your change here, for example: %kubectl get service store -o yaml

# %%
task.check(c)

# %% [markdown]
# Stuck? Run `task.hint()` in a new cell for a hint (again for the next one), `task.solution()`
# for the commands, or `task.solve(c)` to have them run.
#
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("06")
