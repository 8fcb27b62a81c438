# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Services and selectors: a stable address for a changing set of pods
#
# Pods come and go: they are replaced, rescheduled, scaled, and each new one gets a new IP. A **Service** gives clients one address that stays put, its ClusterIP, and sends each connection to one of the pods behind it. In this notebook you will see that:
#
# - the ClusterIP is a virtual IP: with kube-proxy in iptables mode, kind's default, no interface holds it, it exists only as kube-proxy's rules, so a port the Service does not list goes nowhere;
# - the Service's **selector**, matched against pod labels, decides which pods are behind it, whoever created them;
# - creating a Service creates its **EndpointSlice**, the list of those pods, kept current by a controller;
# - kube-proxy on every node keeps the VIP → pod rules in step when you scale, delete a pod or relabel one.

# %%
import pandas as pd
from IPython.display import display

import kubenet_nb
from kubenet_nb import Cluster

# %load_ext kubenet_nb
pd.set_option("display.max_colwidth", None)  # show whole rules
c = kubenet_nb.use(Cluster(seed=3))  # the seed fixes every name and IP; %kubectl runs on c

# %%
# %kubectl run client --image=nicolaka/netshoot -- sleep infinity

# %% [markdown]
# ## A Service before any pod
#
# `kubectl create service clusterip hello --tcp=80:8080` makes a Service that listens on port 80 and sends to port 8080 of the pods labelled `app=hello`. No such pod exists yet.

# %%
# %%kubectl
create service clusterip hello --tcp=80:8080
get service hello -o wide

# %% [markdown]
# The Service got its ClusterIP at once. And the EndpointSlice controller created an EndpointSlice for it straight away, with no endpoints yet (`<unset>`):

# %%
# %kubectl get endpointslices -l kubernetes.io/service-name=hello -o wide

# %% [markdown]
# The slice's name starts with the Service's, a label ties it to the Service, and the Service is its owner:

# %%
hello_slice = c.list("endpointslices", selector="kubernetes.io/service-name=hello")[0]
meta = hello_slice["metadata"]
print("name:  ", meta["name"])
for key, value in meta["labels"].items():
    print("label: ", f"{key}={value}")
for owner in meta["ownerReferences"]:
    print("owner: ", owner["kind"], owner["name"])

# %% [markdown]
# A Service with no endpoints refuses connections: kube-proxy installs a `REJECT` rule for it, and curl is refused at once.

# %%
# %kubectl exec client -- curl -sS hello

# %%
c.rules_table("kind-worker", service="hello")[["table", "chain", "matches", "target", "comment"]]

# %% [markdown]
# ## Pods arrive
#
# A Deployment of two agnhost pods, labelled `app=hello` by `kubectl create deployment`, listening on 8080 (agnhost's `/hostname` answers with the pod's name).

# %%
# %%kubectl
create deployment hello --image=registry.k8s.io/e2e-test-images/agnhost:2.52 --replicas=2 \
    --port=8080 -- /agnhost netexec --http-port=8080
get pods -o wide --show-labels


# %% [markdown]
# The two helpers below show what the rest of the notebook watches: the Service's endpoints, from its EndpointSlices, and the rules kube-proxy wrote for it on a node, restricted to the Service's own `KUBE-SVC-…` chain: one rule per endpoint, picked at random with the probability shown, with the endpoint in the comment.

# %%
def backends():
    """The endpoints of Service hello, as its EndpointSlices list them."""
    table = c.endpoints_table(service="hello", wide=True)  # wide: every column
    return table[["endpoint_ip", "endpoint_port", "pod", "node", "ready", "serving", "terminating"]]


def svc_rules(node="kind-worker"):
    """The rules of Service hello's KUBE-SVC chain on a node."""
    rules = c.rules_table(node, service="hello")
    rules = rules[rules.chain.str.startswith("KUBE-SVC-")].reset_index(drop=True)
    return rules[["chain", "position", "matches", "target", "comment"]]


backends()

# %%
svc_rules()

# %%
c.topology()

# %% [markdown]
# Now the name works, and successive connections land on either pod:

# %%
# %%kubectl
exec client -- curl -s hello/hostname
exec client -- curl -s hello/hostname
exec client -- curl -s hello/hostname
exec client -- curl -s hello/hostname
exec client -- curl -s hello/hostname
exec client -- curl -s hello/hostname

# %% [markdown]
# ## The ClusterIP is on no interface
#
# The ClusterIP is not configured on any node or pod. With kube-proxy in iptables mode (kind's default), as in its nftables mode, it exists only as rules: in `KUBE-SERVICES`, one rule per port the Service lists, matching the VIP **and** that port. (In IPVS mode it is different: kube-proxy binds every ClusterIP to a dummy interface, `kube-ipvs0`, on each node.)

# %%
vip = c.get("service", "hello")["spec"]["clusterIP"]
rules = c.rules_table("kind-worker2", chain="KUBE-SERVICES")
for_vip = rules.matches.str.contains(f"{vip}/32", regex=False)
rules[for_vip][["table", "matches", "target", "comment"]]

# %% [markdown]
# A packet for another port of the VIP matches no rule, so nothing rewrites it, and since no interface holds the address, the node routes it out towards its default gateway. No answer comes back: the client waits until it gives up (curl's `-m 2` stops after 2 seconds).

# %%
print(c.kubectl(f"exec client -- curl -sS -m 2 {vip}:81"))

# %%
print(c.trace("client", f"{vip}:81").summary())

# %% [markdown]
# ## Labels decide the backends
#
# The Service does not know about the Deployment: it selects **pods by label**. Any pod labelled `app=hello` joins, whoever created it. Here is a pod made by hand:

# %%
# %%kubectl
run extra --image=registry.k8s.io/e2e-test-images/agnhost:2.52 --labels=app=hello \
    --port=8080 -- netexec --http-port=8080

# %%
backends()

# %% [markdown]
# Change the label and it leaves at once: the EndpointSlice drops it, and kube-proxy drops its rule (before, then after):

# %%
svc_rules()

# %%
# %kubectl label pod extra app=other --overwrite

# %%
display(backends())
display(svc_rules())

# %% [markdown]
# ## Scale
#
# Scaling the Deployment adds a pod; the EndpointSlice lists it as soon as it has an IP, `ready: false` until its containers are ready (here at once), and each node's chain gains a rule for it once it is ready. The probabilities follow the count: the first of three endpoints is picked with 1/3, the second with 1/2 of what is left, the last takes the rest.

# %%
# %kubectl scale deployment hello --replicas=3

# %%
display(backends())
display(svc_rules())

# %% [markdown]
# ## Delete a pod
#
# Deleting a pod starts its graceful shutdown. While it terminates, the EndpointSlice keeps it, marked `ready: false`, `terminating: true`, and kube-proxy stops sending it new connections. The ReplicaSet creates a replacement, which is listed as soon as it has an IP and gets traffic once it is ready.

# %%
victim = backends()["pod"].iloc[0]
c.delete("pod", victim)
display(backends())
display(svc_rules())

# %% [markdown]
# In the picture the terminating pod is grey, a dotted line marks it as a terminating endpoint, and the replacement is already in:

# %%
c.topology()

# %% [markdown]
# Once the pod has stopped (here, a few simulated seconds later) it is gone from the slice too:

# %%
c.advance(5)
backends()

# %% [markdown]
# ## The same rules on every node
#
# kube-proxy runs on every node and watches the same EndpointSlices, so every node, the control plane included, sends the VIP to the same pods:

# %%
for node in c.list("nodes"):
    name = node["metadata"]["name"]
    rules = c.rules_table(name, service="hello")
    targets = sorted(rules[rules.target.str.startswith("DNAT")].target)
    print(f"{name:20}", ", ".join(t.removeprefix("DNAT --to-destination ") for t in targets))

# %%
c.topology()

# %% [markdown]
# Through all of this the Service's name and ClusterIP never changed:

# %%
# %kubectl get service hello

# %% [markdown]
# ## Exercise: fix a selector
#
# The set-up below applies four pods with overlapping labels (two web pods of a shop, its
# database, a blog) and Service `shop`, with a typo in its selector, so it reaches no pod. Your
# task: fix the Service so that it reaches exactly the shop's web pods (not the database, not the
# blog). Make your change with `%kubectl` in the empty cell, then run the check: it reads the
# Service's EndpointSlices.

# %%
from kubenet_nb.exercises import SELECTOR_TASK as task

task.setup(c)

# %%
# Your change here, for example: %kubectl get endpointslices -l kubernetes.io/service-name=shop

# %%
task.check(c)

# %% [markdown]
# Stuck? Run `task.hint()` in a new cell for a hint (again for the next one), `task.solution()`
# for the commands, or `task.solve(c)` to have them run.
#
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("03")
