# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Containers in one pod share one network
#
# A pod can run several containers: an application and its helpers ("sidecars"). They do not get a network each. Kubernetes gives the **pod** one network namespace, and every container of the pod joins it. In this notebook you will see that:
#
# - the containers of a pod have one IP address between them, and one `localhost`;
# - a sidecar reaches the application on `localhost:<port>`, while another pod's `localhost` is its own;
# - declaring a `containerPort` does not open a port: the process decides where it listens;
# - the containers share one set of port numbers, and the API server only warns when a pod declares the same port twice.

# %%
import kubenet_nb
from kubenet_nb import Cluster

# %load_ext kubenet_nb
c = kubenet_nb.use(Cluster(seed=1))  # the seed fixes every name and IP; %kubectl runs on c

# %% [markdown]
# You drive the cluster as you would a real one, with kubectl: `%kubectl` runs one command line; a
# cell that starts with `%%kubectl apply -f -` applies the YAML below that line.

# %% [markdown]
# ## A web server and a sidecar
#
# The pod `web` runs `nginx`, which serves HTTP on port 80, and `nicolaka/netshoot`, a toolbox image full of network tools, kept alive with `sleep`.

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
  - name: sidecar
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]

# %%
# %kubectl get pod web -o wide

# %% [markdown]
# `2/2`: both containers run, and the pod has **one** IP. The picture lists the pod's containers and the ports they declare, inside one box with one address:

# %%
c.topology(containers=True)

# %% [markdown]
# ## The sidecar talks to nginx over localhost
#
# `kubectl exec -c` picks the container a command runs in. From the sidecar, `localhost:80` is nginx: same network namespace, same loopback interface. (`curl -I` asks for the headers only.)

# %%
# %kubectl exec web -c sidecar -- curl -sI localhost:80

# %% [markdown]
# A trace of that connection shows how short the path is: the packet never leaves the pod. It goes over the pod's own `lo`, crosses no node and no iptables rule, and lands in the nginx container.

# %%
t = c.trace("web", "127.0.0.1:80")
print(t.summary())
for hop in t.to_frame().itertuples():
    print(f"{hop.stage:8} {hop.node:13} {hop.action}")

# %% [markdown]
# ## Another pod's localhost is its own
#
# The pod `other` runs the same toolbox. Its `localhost` is its own network namespace, where nothing listens on port 80: curl is refused. To reach nginx it must use the pod's IP, which is the subject of the next notebook.

# %%
# %%kubectl
run other --image=nicolaka/netshoot -- sleep infinity
exec other -- curl -sS localhost:80

# %% [markdown]
# The pod's IP is in the cluster's objects; a magic takes its line as typed, so to put the IP
# into the command this cell calls kubectl from Python, `c.kubectl(...)`, which returns what
# kubectl prints:

# %%
web_ip = c.get("pod", "web")["status"]["podIP"]
print(c.kubectl(f"exec other -- curl -sI {web_ip}:80").splitlines()[0])

# %% [markdown]
# ## Declaring a port does not open it
#
# `containerPort` is information for people and tools. The process in the container decides where it listens: nginx listens on 80 whatever the pod says. Here a pod declares 8080 for nginx:

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: declared
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 8080

# %%
# %%kubectl
exec declared -- curl -sS localhost:8080
exec declared -- curl -s -o /dev/null -w '%{http_code}\n' localhost:80

# %% [markdown]
# ## Two containers, one port
#
# Since the containers of a pod share one network namespace, they share its port numbers too: port 80 on the pod's `localhost` is nginx's, whichever container asks. So two containers of one pod must not listen on the same port.
#
# The API server cannot see which process binds what; it only compares the ports the containers **declare**. When two containers declare the same port and protocol, it accepts the pod and sends back a warning, which kubectl prints before its usual line:

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: clash
spec:
  containers:
  - name: first
    image: nginx
    ports:
    - containerPort: 80
  - name: second
    image: nginx
    ports:
    - containerPort: 80

# %% [markdown]
# The warning names the fields: `spec.containers[1].ports[0]` repeats `spec.containers[0].ports[0]`. It is only a warning: the pod was created. Then both nginx processes start in the one network namespace, the second one's `bind()` to port 80 fails ("Address already in use"), it exits, and the kubelet keeps restarting it with a growing back-off:

# %%
# %kubectl get pod clash

# %%
status = c.get("pod", "clash")["status"]
for container in status["containerStatuses"]:
    print(container["name"], "ready" if container["ready"] else "not ready", container["state"])

# %% [markdown]
# `1/2` ready: the pod as a whole is not Ready, so no Service sends it traffic, although the first nginx serves fine on `localhost:80`. The API check reads declarations only, so it cannot promise anything about the processes either way (the pod `declared` above declares 8080 and listens on 80). Keep one port per process in a pod, and read the warnings `kubectl apply` prints.
#
# A port number is taken per protocol. CoreDNS declares port 53 twice in one container, once for UDP and once for TCP; that is no duplicate, and a pod declaring the same gets no warning:

# %%
coredns = c.list("pods", namespace="kube-system", selector="k8s-app=kube-dns")[0]
for port in coredns["spec"]["containers"][0]["ports"]:
    print(port["name"], port["containerPort"], port["protocol"])

# %%
# %%kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: dns
spec:
  containers:
  - name: coredns
    image: registry.k8s.io/coredns/coredns:v1.12.0
    ports:
    - containerPort: 53
      protocol: UDP
    - containerPort: 53
      protocol: TCP

# %% [markdown]
# ## Exercise
#
# The pod `shop` has an application container `app` and a `sidecar`. The cell below prints its manifest and applies it. Find out on which port of `localhost` the sidecar reaches the application (read the manifest, then try it with `kubectl exec shop -c sidecar -- curl -s localhost:PORT/hostname`), and put the port in `answer`.

# %%
from kubenet_nb.exercises import pod_network

print(pod_network.SHOP_POD)
print(c.kubectl("apply -f -\n" + pod_network.SHOP_POD))  # kubectl apply -f - of that text

# %%
answer = ...  # a port number, e.g. 1234
pod_network.LOCALHOST_PORT.check(c, answer)

# %% [markdown]
# ## Recap

# %%
from kubenet_nb.exercises import recap

recap("01")
