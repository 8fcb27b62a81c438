# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Inside and outside: ClusterIP, NodePort and LoadBalancer
#
# A Service's ClusterIP lives in the rules kube-proxy writes on the nodes, so only packets that go
# through a node of the cluster can use it. This notebook shows where that leaves a client outside
# the cluster, and the two Service types that let it in. You will:
#
# - see a pod reach a ClusterIP Service, and a machine outside the cluster fail to;
# - expose the same pods with `kubectl expose --type=NodePort` and reach them on **every** node's
#   IP at the node port;
# - expose them with `--type=LoadBalancer` and reach them at an external IP;
# - read `kubectl get svc`: the `80:3xxxx/TCP` in PORT(S) and the EXTERNAL-IP column.

# %%
import kubenet_nb
from kubenet_nb import Cluster

# %load_ext kubenet_nb
c = kubenet_nb.use(Cluster(seed=4))  # %kubectl now runs against c

# %% [markdown]
# You drive the cluster as you would a real one, with kubectl: `%kubectl` runs one command line,
# a cell that starts with `%%kubectl` runs one per line.

# %%
# %%kubectl
create deployment web --image=nginx --replicas=2 --port=80
expose deploy web --port=80
get svc web

# %% [markdown]
# What kubectl cannot show is the path of a packet. `c.trace(source, destination)` follows one
# new connection through the rules of every node it crosses; its `steps()` keep the hops that move
# the packet or rewrite its addresses (DNAT, MASQUERADE) or stop it (DROP, REJECT), and the
# verdict.
#
# ## Inside the cluster: it works
#
# A pod asks for `web`; the cluster DNS answers with the ClusterIP, and the rules on the pod's own
# node rewrite that address to one of the two nginx pods:

# %%
# %%kubectl
run client --image=nicolaka/netshoot --restart=Never -- sleep infinity
exec client -- curl -s -o /dev/null -w '%{http_code}\n' http://web

# %%
c.trace("client", "web").steps()

# %% [markdown]
# A node is inside the cluster too: kube-proxy's rules also catch what the node itself sends to
# the ClusterIP.

# %%
cluster_ip = c.get("svc", "web")["spec"]["clusterIP"]
print(c.trace("kind-control-plane", f"{cluster_ip}:80").summary())

# %% [markdown]
# ## Outside the cluster: it times out
#
# *Outside* is any machine that is neither a node nor a pod. Here it is the computer that runs kind,
# `172.18.0.1` on kind's Docker network, the network the node containers are plugged into. It can
# reach the nodes' IPs, but nothing tells it where the service range `10.96.0.0/16` is:

# %%
outside = "172.18.0.1"
print(c.trace(outside, f"{cluster_ip}:80"))

# %% [markdown]
# The packet never reaches a node, so no kube-proxy rule ever sees it, and the client waits until
# it gives up. A ClusterIP is for clients inside the cluster. To let outside clients in, the
# Service must listen where they can get to: on the nodes' own addresses.
#
# ## NodePort: one port on every node
#
# `--type=NodePort` makes a Service that has everything a ClusterIP Service has, plus one port
# opened on every node. We expose the same deployment a second time, under another name:

# %%
# %%kubectl
expose deploy web --type=NodePort --name=web-nodeport --port=80
get svc web-nodeport

# %% [markdown]
# PORT(S) reads `port:nodePort/protocol`: port 80 on the Service's own ClusterIP, and the node
# port, which the API server picked because we did not ask for one (notebook 05 looks at where
# that number comes from). Each node's InternalIP is an address the outside machine can reach:

# %%
node_ips = {
    node["metadata"]["name"]: address["address"]
    for node in c.list("nodes")
    for address in node["status"]["addresses"]
    if address["type"] == "InternalIP"
}
node_port = c.get("svc", "web-nodeport")["spec"]["ports"][0]["nodePort"]
for node, ip in node_ips.items():
    trace = c.trace(outside, f"{ip}:{node_port}")
    print(f"{ip}:{node_port} ({node:18}) {trace.verdict}, served by {trace.backend_name}")

# %% [markdown]
# Every node answers, the control-plane node too, although no `web` pod runs there: the node that
# receives the connection rewrites its destination to a pod (DNAT) wherever that pod runs, and its
# source to the node's own address (MASQUERADE), so that the reply comes back through it:

# %%
c.trace(outside, f"{node_ips['kind-control-plane']}:{node_port}").steps()

# %% [markdown]
# ## LoadBalancer: one address in front of the nodes
#
# A node port works, but clients must know a node's IP, and that node may go away. A
# `LoadBalancer` Service asks for a load balancer outside the cluster, at an address of its own,
# that spreads connections over the nodes. On a cloud, the cloud provider's controller creates it.
# kind has no cloud; here a simulated controller plays that part, handing out addresses from
# `172.18.255.200`–`172.18.255.250` on kind's Docker network.

# %%
# %%kubectl
expose deploy web --type=LoadBalancer --name=web-lb --port=80
get svc

# %% [markdown]
# `web-lb` has an **EXTERNAL-IP**, the load balancer's address, and it also has a ClusterIP and a
# node port of its own: each Service type builds on the one before. The outside client now uses
# the external IP and the Service's port:

# %%
lb_ip = c.get("svc", "web-lb")["status"]["loadBalancer"]["ingress"][0]["ip"]
through_lb = c.trace(outside, f"{lb_ip}:80")
print(through_lb.steps())
print("the load balancer handed it to", through_lb.entry_node)

# %% [markdown]
# The picture shows the pods of `web`, the three Services, the node ports on every node, the load
# balancer and the path of that last connection:

# %%
c.topology(selector="app=web", highlight=through_lb)

# %% [markdown]
# ## Side by side
#
# | type | who can connect | to what |
# |---|---|---|
# | `ClusterIP` | pods and nodes of the cluster | ClusterIP : port |
# | `NodePort` | also anyone who reaches a node | any node's IP : nodePort |
# | `LoadBalancer` | also anyone who reaches the load balancer | external IP : port |

# %% [markdown]
# ## Exercise: expose a Deployment on the right port
#
# The set-up below creates Deployment `catalog`. Your task: make a Service `catalog` so that
# `client` gets an answer from `http://catalog/hostname` (port 80). Run the set-up, make your change
# with `%kubectl` in the empty cell, then run the check. It judges the cluster, not what you typed.

# %%
from kubenet_nb.exercises import PORT_TASK as task

task.setup(c)

# %%
# Your change here, for example: %kubectl get deployment catalog -o wide

# %%
task.check(c)

# %% [markdown]
# Stuck? Run `task.hint()` in a new cell for a hint (again for the next one), `task.solution()`
# for the commands, or `task.solve(c)` to have them run.
#
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("04")
