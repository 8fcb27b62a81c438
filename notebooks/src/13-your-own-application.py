# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Your own application: many documents in one file
#
# Real applications come as one file of many documents, and `kubectl apply -f` takes them all. In
# this notebook you will:
#
# - apply a whole published application, unchanged, and read kubectl's one line per object;
# - see the order of the documents matter for a moment (ServiceAccount admission) and the
#   controllers retry until it does not;
# - follow a request between two of its services.
#
# To try your own YAML, put it next to this notebook and apply it the same way.

# %%
# %load_ext kubenet_nb
import kubenet_nb
from kubenet_nb import Cluster

# %% [markdown]
# ## Apply the Online Boutique
#
# Real applications come as one file of many documents. `manifests/online-boutique.yaml` is the
# Online Boutique (Google's microservices demo), exactly as its project publishes it: 12
# Deployments, 12 Services and 11 ServiceAccounts. `kubectl apply -f` sends every document and
# prints one line per object; had one failed, its error would follow the others and
# the command would end with exit status 1.

# %%
c = kubenet_nb.use(Cluster(seed=11))  # %kubectl now runs against it

# %%
# %kubectl apply -f manifests/online-boutique.yaml

# %% [markdown]
# The file lists each Deployment before its ServiceAccount, so the first pods of most
# ReplicaSets are refused by ServiceAccount admission, and their ReplicaSets say so:

# %%
failed = [e for e in c.list("events") if e["reason"] == "FailedCreate"]
print(len(failed), "ReplicaSets could not create pods, e.g.:")
print(failed[0]["message"])

# %% [markdown]
# The ReplicaSet controller retries, as on a real cluster, and the pods start. Most of them
# have readiness probes that wait `initialDelaySeconds` (10 to 20 s here) before their first run,
# and a pod joins its Service's endpoints only once its probe passes: a minute later every
# Deployment is available, and the shop's services reach each other through their Services:

# %%
c.advance(60)  # a minute on the simulated clock

# %%
# %kubectl get deployments

# %%
frontend = c.list("pods", selector="app=frontend")[0]["metadata"]["name"]
print(c.trace(frontend, "cartservice:7070").summary())

# %% [markdown]
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("13")
