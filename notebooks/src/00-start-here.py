# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Start here: a kind cluster in your notebook
#
# This workbook runs a simulated [kind](https://kind.sigs.k8s.io/) cluster in memory. It behaves as a real one does: the same names, defaults, errors, iptables rules and DNS answers. You will:
#
# - look at the cluster kind creates from a config of one control plane and two workers;
# - drive it with the workbench's buttons, and watch its picture and endpoints table follow;
# - run the classic first commands, `kubectl create deployment` and `kubectl expose`;
# - see what they created: a Service with a virtual IP, an EndpointSlice listing the pods, and the NAT rules kube-proxy wrote on every node.

# %%
import kubenet_nb
from kubenet_nb import Cluster

# %load_ext kubenet_nb
c = kubenet_nb.use(Cluster(seed=1))  # the seed fixes every generated name and IP

# %% [markdown]
# You drive the cluster as you would a real one, with kubectl: `%kubectl` runs one command line,
# a cell that starts with `%%kubectl` runs one per line. (Python's `c.kubectl("...")` does the
# same and returns the text, for the few cells that compute with it.)

# %%
# %kubectl get nodes -o wide

# %% [markdown]
# Three nodes, because `Cluster()` is kind created with a config that asks for two workers. A plain `kind create cluster` makes one node only, `kind-control-plane`; kind then removes that node's control-plane taint (and its `node.kubernetes.io/exclude-from-external-load-balancers` label) so that your pods and load balancers can use it. `Cluster(workers=0)` is that one-node cluster. The config behind `Cluster()`:
#
# ```yaml
# # kind create cluster --config kind.yaml
# kind: Cluster
# apiVersion: kind.x-k8s.io/v1alpha4
# nodes:
# - role: control-plane
# - role: worker
# - role: worker
# ```
#
# With workers, the control plane keeps its taint (`node-role.kubernetes.io/control-plane:NoSchedule`), so your workloads land on the two workers. Each node has an IP on kind's Docker network and a slice of the pod network (`10.244.N.0/24`) for its pods.

# %%
# %kubectl get pods -A -o wide

# %% [markdown]
# The picture draws the same cluster: each node with its pod range, the pods on it, the Services
# and what they point at (`system=True` shows kube-system's pods too):

# %%
c.topology(system=True)

# %% [markdown]
# ## The workbench
#
# Everything this notebook does with commands, the workbench does with forms and buttons. It drives a cluster of its own, as fresh as the one above, so what you click there does not change the cells further down. Each button runs what you would type, and the log shows that command line with what the cluster did: its Events, the endpoints that came and went, the rules kube-proxy rewrote. After each action the picture and the endpoints table are drawn again.
#
# Try the classic first step with it:
#
# 1. on **Deploy**, name a deployment `webapp1` and press *Create deployment* (the form adds a readiness probe, `GET /` on the container port, and shows the manifest it posted);
# 2. on **Expose**, press *Create service*: a Service appears in the picture, in front of the pods, and the endpoints table gets one row per pod;
# 3. on **Scale & pods**, pick one of its pods and press *Fail readiness*: its application starts failing the readiness probe. The pod turns orange in the picture, its row in the table says `ready False`, and kube-proxy drops it from the Service's rules on every node: a pod that is not ready gets no traffic. *Restore readiness* brings it back.

# %%
sandbox = Cluster(seed=1)  # the workbench's own cluster
sandbox.workbench()

# %% [markdown]
# ## Deploy an application and expose it
#
# These are the commands a real cluster takes, verbatim.

# %%
# %%kubectl
create deployment webapp1 --image=nginx --replicas=3 --port=80
expose deploy webapp1 --port=80

# %%
# %kubectl get all

# %% [markdown]
# The Service got a **ClusterIP**, a virtual address from the service range `10.96.0.0/16`. With kube-proxy in iptables mode, kind's default, no interface has it: it exists only as rules. Its selector, `app=webapp1`, picks the pods, and the EndpointSlice controller lists them:

# %%
# %kubectl describe service webapp1

# %%
# %kubectl get endpointslices -l kubernetes.io/service-name=webapp1 -o wide

# %% [markdown]
# In the picture, the Service points at its three pods on the two workers:

# %%
c.topology()

# %% [markdown]
# ## What kube-proxy wrote
#
# On every node, kube-proxy turns the Service and its endpoints into NAT rules: a jump from `KUBE-SERVICES` for the ClusterIP and port, then one rule per endpoint chosen at random with probability 1/3, 1/2, then the rest.

# %%
rules = c.iptables_save(node="kind-worker")
print("\n".join(line for line in rules.splitlines() if "default/webapp1" in line))

# %% [markdown]
# ## Name resolution
#
# A pod finds the Service by name: its resolver appends the search domains from `/etc/resolv.conf`, and CoreDNS answers with the ClusterIP.

# %%
pod = c.list("pods", selector="app=webapp1")[0]["metadata"]["name"]
answer = c.resolve("webapp1", from_pod=pod)
for name, qtype, rcode in answer.tried:
    print(f"{name:45} {qtype:5} {rcode}")
print("->", answer.addresses)

# %% [markdown]
# ## Try it
#
# Scale the deployment and watch the EndpointSlice and the rules follow: in a new cell, run
#
# ```
# %%kubectl
# scale deployment webapp1 --replicas=5
# get endpointslices -o wide
# ```
#
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("00")
