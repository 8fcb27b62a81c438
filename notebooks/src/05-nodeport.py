# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # NodePort: one port on every node
#
# A NodePort Service is the simplest way into a cluster from outside: pick any node, connect to its
# IP at the node port. This notebook looks at what happens on the nodes, at where the port number
# comes from, and at the policy that decides how far a connection may travel. You will learn:
#
# - that the node port is open on **every** node, and that the node NATs each connection to a
#   pod, on the same node or another;
# - where the number comes from: the range 30000–32767, chosen by the API server or by you, and
#   what the API server says to a number outside it;
# - why "Service ports must be between 30000 and 32767" is a common mistake: `port` and
#   `targetPort` take 1–65535, only `nodePort` has that range;
# - what `externalTrafficPolicy: Cluster` and `Local` change: which nodes answer, and which client
#   address the pod sees.

# %%
import kubenet_nb
from kubenet_nb import Cluster

# %load_ext kubenet_nb
c = kubenet_nb.use(Cluster(seed=5))  # %kubectl now runs against c
outside = "172.18.0.1"  # the machine that runs kind: on kind's Docker network, not a node


# %% [markdown]
# Traces list every rule a packet meets; a trace's `steps()` keep only the hops that move the
# packet, rewrite its addresses or stop it, and the verdict.

# %% [markdown]
# The application is `agnhost netexec`, a small web server from Kubernetes' own end-to-end tests:
# `/hostname` answers with the pod's name, `/clientip` with the address and port the connection
# came from, as the pod sees them.

# %%
# %%kubectl
create deployment echo --image=registry.k8s.io/e2e-test-images/agnhost:2.52 --replicas=2 --port=8080 -- /agnhost netexec --http-port=8080
expose deployment echo --type=NodePort --port=80 --target-port=8080
get pods -o wide
get svc echo

# %% [markdown]
# A NodePort Service has three port numbers:

# %%
print(c.get("svc", "echo")["spec"]["ports"])

# %% [markdown]
# | field | what it is | values |
# |---|---|---|
# | `port` | the Service's port, on its ClusterIP | 1–65535 |
# | `targetPort` | the container port where connections end | 1–65535, or a port's name |
# | `nodePort` | the port opened on every node | the node-port range, 30000–32767 by default |
#
# ## The same port on every node
#
# One new connection from the outside machine to each node, at the same node port:

# %%
import pandas as pd

pd.set_option("display.max_colwidth", None)  # show rules whole
node_ips = {
    node["metadata"]["name"]: address["address"]
    for node in c.list("nodes")
    for address in node["status"]["addresses"]
    if address["type"] == "InternalIP"
}


def from_outside(node_port):
    """One new connection from the outside machine to each node's IP at `node_port`."""
    rows = []
    for node, ip in node_ips.items():
        trace = c.trace(outside, f"{ip}:{node_port}")
        delivered = trace.verdict == "delivered"
        rows.append(
            {
                "to": f"{ip}:{node_port}",
                "entered on": node,
                "verdict": trace.verdict,
                "pod": trace.backend_name or "",
                "pod's node": trace.node if delivered else "",
                "source the pod saw": trace.source_seen or "",
            }
        )
    return pd.DataFrame(rows)


# %%
node_port = c.get("svc", "echo")["spec"]["ports"][0]["nodePort"]
from_outside(node_port)

# %% [markdown]
# All three answer, the control-plane node too, which runs no `echo` pod. Whichever node receives
# the connection picks one of the Service's pods at random, wherever it runs, and rewrites the
# destination to it (DNAT). A thousand connections through the control-plane node alone spread
# over both pods:

# %%
c.send(outside, f"{node_ips['kind-control-plane']}:{node_port}", n=1000)

# %% [markdown]
# The picture shows the Service, its node port on every node and the path of one such connection,
# entering on the control-plane node and handed to a pod on a worker:

# %%
through_control_plane = c.trace(outside, f"{node_ips['kind-control-plane']}:{node_port}")
c.topology(selector="app=echo", highlight=through_control_plane)

# %% [markdown]
# The rules behind it: the last rule of `KUBE-SERVICES` sends every packet addressed to one of the
# node's own addresses (`--dst-type LOCAL`) to `KUBE-NODEPORTS`, which matches the port alone and
# jumps to the Service's chain for external traffic (`KUBE-EXT-…`). The first `KUBE-NODEPORTS`
# rule is the same port on `127.0.0.0/8`: kube-proxy opens node ports on localhost too.

# %%
nat = c.rules_table("kind-control-plane", table="nat")
to_node_ports = (nat["chain"] == "KUBE-NODEPORTS") | (nat["target"] == "KUBE-NODEPORTS")
nat.loc[to_node_ports, ["chain", "matches", "target", "comment"]].reset_index(drop=True)

# %% [markdown]
# ## Where the number comes from
#
# We did not ask for a node port, so the API server allocated one from its
# `--service-node-port-range`, 30000–32767 by default. You may also choose it, in the
# Service's manifest:

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: echo-fixed
spec:
  type: NodePort
  selector:
    app: echo
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30080

# %% [markdown]
# A number outside the range is refused, with the range in the message:

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: echo-8080
spec:
  type: NodePort
  selector:
    app: echo
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 8080

# %% [markdown]
# And a node port belongs to one Service in the whole cluster, whatever the namespace:

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: echo-again
  namespace: kube-public
spec:
  type: NodePort
  selector:
    app: echo
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30080

# %% [markdown]
# To make such clashes rare, the allocator keeps the bottom of the range, 30000–30085 with the
# default range, for hand-picked ports: it picks at random above it while it can. A hundred
# NodePort Services on a scratch cluster:

# %%
scratch = Cluster(seed=0)
picked = []
for i in range(100):
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": f"svc-{i}"},
        "spec": {"type": "NodePort", "ports": [{"port": 80}]},
    }
    picked.append(scratch.create(service)["spec"]["ports"][0]["nodePort"])
print("lowest:", min(picked), " highest:", max(picked))

# %% [markdown]
# ## "Service ports must be between 30000 and 32767": a myth
#
# The range applies to `nodePort` only. A Service's own `port` and its `targetPort` take any
# number from 1 to 65535: the usual Service listens on 80 or 443. Here a Service listens on 8080
# and forwards to a server on port 5000:

# %%
# %%kubectl
create deployment api --image=registry.k8s.io/e2e-test-images/agnhost:2.52 --port=5000 -- /agnhost netexec --http-port=5000
expose deployment api --port=8080 --target-port=5000
run client --image=nicolaka/netshoot --restart=Never -- sleep infinity
get svc api
exec client -- curl -s http://api:8080/hostname

# %% [markdown]
# Outside 1–65535, the API server refuses the Service, in other words than for a node port:

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: api-big
spec:
  selector:
    app: api
  ports:
  - port: 70000
    targetPort: 5000

# %% [markdown]
# ## externalTrafficPolicy: Cluster or Local
#
# First, what the pod sees of a client. Inside the cluster, from the `client` pod to the
# ClusterIP, nothing rewrites the source: agnhost's `/clientip` shows the client pod's own IP, and
# a trace tells the same as `source_seen`:

# %%
# %%kubectl
exec client -- curl -s http://echo/clientip
get pod client -o wide

# %%
print("trace: the pod saw", c.trace("client", "echo").source_seen)

# %% [markdown]
# With one `echo` pod left, a worker has none. The removed pod takes a moment to stop; we let a
# few seconds of the cluster's simulated time pass:

# %%
# %kubectl scale deployment echo --replicas=1

# %%
c.advance(5)  # five seconds of simulated time

# %%
# %kubectl get pods -l app=echo -o wide

# %% [markdown]
# ### Cluster (the default)

# %%
print(c.get("svc", "echo")["spec"]["externalTrafficPolicy"])
from_outside(node_port)

# %% [markdown]
# Every node still answers: the ones without the pod forward the connection to the node that has
# it. To get the reply back, each node replaces the client's address with one of its own
# (MASQUERADE) as it sends the packet on: its node IP towards another node, or the `.1` address
# of its pod network on the way to a pod of its own. Either way the pod never sees the outside
# machine's address, `172.18.0.1`.
#
# ### Local
#
# `externalTrafficPolicy: Local` tells every node to use only the Service's pods on that node.
# `kubectl patch` changes that one field:

# %%
# %kubectl patch service echo -p '{"spec":{"externalTrafficPolicy":"Local"}}'

# %%
from_outside(node_port)

# %% [markdown]
# Now only the node that runs the pod answers, and the pod sees the real client, `172.18.0.1`:
# the pod is on the node that received the connection, so its reply passes back through that
# node anyway and nothing needs to be masqueraded. The other nodes drop the
# connection; the client gets no answer at all and times out. Here is `kind-worker2`, a worker
# without an `echo` pod, and the rule that drops the packet there:

# %%
to_worker2 = f"{node_ips['kind-worker2']}:{node_port}"
c.trace(outside, to_worker2).steps(chains="KUBE-EXTERNAL-SERVICES")

# %%
rules = c.rules_table("kind-worker2", table="filter", chain="KUBE-EXTERNAL-SERVICES")
rules[["matches", "target", "comment"]]

# %% [markdown]
# Choosing between the two:
#
# - **Cluster**: any node will do, and connections spread over all the pods, but the pod sees a
#   node's address, and a connection may take a second hop to another node.
# - **Local**: the pod sees the client's address and no second hop is taken, but only nodes with
#   a ready pod answer, so the client must be sent to those. A cloud load balancer does that with
#   a health check (notebook 06).

# %% [markdown]
# ## Exercise: make a NodePort work from outside
#
# The set-up below creates Deployment `hello` and a Service `hello` for it. Your task: make `hello`
# answer the outside machine (`172.18.0.1`) on every node's IP at a node port. Make your change
# with `%kubectl` in the empty cell, then run the check: it traces from the outside machine.

# %%
from kubenet_nb.exercises import NODEPORT_TASK as task

task.setup(c)

# %%
# Your change here, for example: %kubectl get service hello -o yaml

# %%
task.check(c)

# %% [markdown]
# Stuck? Run `task.hint()` in a new cell for a hint (again for the next one), `task.solution()`
# for the commands, or `task.solve(c)` to have them run.
#
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("05")
