"""`kubectl exec`: reaching pods, picking a pod for TYPE/NAME, and every refusal in kubectl's words.

The refusals were recorded from kubectl v1.33.1 (gcloud SDK's kubectl.1.33) against the fake API
server of tests/kubectl/data/reference, answering the exec upgrade with the Status the real API
server sends (pkg/registry/core/pod/strategy.go streamLocation/validateContainer) or the
kubelet's text; the connections go through the cluster's packet walk.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.api.errors import BadRequest, KubectlError, NotFound
from kubenet_nb.kubectl.commands.exec import parse_duration, pick_pod
from kubenet_nb.kubectl.main import run_kubectl

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"
ECHO = f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: echo}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: echo}}}}
  template:
    metadata: {{labels: {{app: echo}}}}
    spec:
      containers:
      - name: agnhost
        image: {AGNHOST}
        args: [netexec, --http-port=8080]
        ports: [{{containerPort: 8080}}]
---
apiVersion: v1
kind: Service
metadata: {{name: echo}}
spec:
  selector: {{app: echo}}
  ports: [{{port: 80, targetPort: 8080}}]
---
apiVersion: v1
kind: Service
metadata: {{name: sticky}}
spec:
  selector: {{app: echo}}
  sessionAffinity: ClientIP
  ports: [{{port: 80, targetPort: 8080}}]
"""
WELCOME_TITLE = "<title>Welcome to nginx!</title>"


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster()
    c.kubectl("create deployment webapp1 --image=nginx --replicas=2 --port=80")
    c.kubectl("expose deploy webapp1 --port=80")
    c.kubectl("create service clusterip empty --tcp=80:80")
    c.apply(ECHO)
    c.kubectl("run client --image=busybox -- sleep 3600")
    c.kubectl("run shoot --image=nicolaka/netshoot -- sleep infinity")
    return c


def ip_of(c: Cluster, kind: str, name: str) -> str:
    obj = c.get(kind, name)
    return obj["spec"]["clusterIP"] if kind == "svc" else obj["status"]["podIP"]


def refusal(c: Cluster, command: str) -> str:
    with pytest.raises(KubenetError) as caught:
        c.kubectl(command)
    return str(caught.value)


# -- reaching services and pods ---------------------------------------------------------------


def test_curl_a_service_by_name_prints_nginx_welcome_page(cluster: Cluster) -> None:
    page = cluster.kubectl("exec shoot -- curl -s http://webapp1")
    assert page.startswith("<!DOCTYPE html>\n<html>\n<head>\n" + WELCOME_TITLE)
    # nginx's docs/html/index.html is 615 bytes (Content-Length of a real nginx:1.27.3 pod).
    assert len(page.encode()) + 1 == 615


def test_curl_clusterip_port_and_path(cluster: Cluster) -> None:
    ip = ip_of(cluster, "svc", "webapp1")
    assert WELCOME_TITLE in cluster.kubectl(f"exec shoot -- curl -s {ip}:80/index.html")
    # nginx's built-in error page for a missing file (ngx_http_special_response.c).
    assert cluster.kubectl(f"exec shoot -- curl -s http://{ip}/nope") == (
        "<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
        "<center><h1>404 Not Found</h1></center>\n<hr><center>nginx/1.27.3</center>\n"
        "</body>\n</html>"
    )


def test_curl_without_s_shows_the_progress_meter_on_a_pipe(cluster: Cluster) -> None:
    # lib/progress.c: the two header lines, then the last state of the figures line; a real
    # nginx pod reached over kubectl exec prints this shape (speed: 615 B in 1 ms = 600k).
    text = cluster.kubectl("exec shoot -- curl webapp1")
    assert text.startswith(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
        "                                 Dload  Upload   Total   Spent    Left  Speed\n"
        "100   615  100   615    0     0   600k      0 --:--:-- --:--:-- --:--:--  600k\n"
        "<!DOCTYPE html>\n"
    )


def test_wrong_port_of_a_clusterip_times_out(cluster: Cluster) -> None:
    # No rule handles webapp1:81 (issue 3 §2): the SYN leaves for the Docker network and
    # nothing answers. curl 8: lib/connect.c failf with curl_easy_strerror(OPERATION_TIMEDOUT).
    assert cluster.kubectl("exec shoot -- curl -sS --connect-timeout 5 webapp1:81") == (
        "curl: (28) Failed to connect to webapp1 port 81 after 5001 ms: Timeout was reached\n"
        "command terminated with exit code 28"
    )


def test_service_without_endpoints_is_refused(cluster: Cluster) -> None:
    # kube-proxy REJECTs (ICMP port unreachable = ECONNREFUSED); without -s curl's meter line is
    # left unterminated and the error follows on it, as on a terminal.
    assert cluster.kubectl("exec shoot -- curl http://empty") == (
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
        "                                 Dload  Upload   Total   Spent    Left  Speed\n"
        "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
        "curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n"
        "command terminated with exit code 7"
    )


def test_nxdomain(cluster: Cluster) -> None:
    assert cluster.kubectl("exec shoot -- curl -sS nope") == (
        "curl: (6) Could not resolve host: nope\ncommand terminated with exit code 6"
    )


def test_silent_failure_prints_only_kubectls_line(cluster: Cluster) -> None:
    # Nothing was printed, so the exit status is the whole refusal (cmdutil.CheckErr prints an
    # ExitError's text without "error: ").
    assert refusal(cluster, "exec shoot -- curl -s nope") == "command terminated with exit code 6"


def test_pod_ip_directly(cluster: Cluster) -> None:
    pod = cluster.list("pods", selector="app=echo")[0]
    ip, name = pod["status"]["podIP"], pod["metadata"]["name"]
    # agnhost netexec's /hostname: os.Hostname() without a newline.
    assert cluster.kubectl(f"exec shoot -- curl -s {ip}:8080/hostname") == name


def test_agnhost_hostname_spreads_over_backends(cluster: Cluster) -> None:
    names = {p["metadata"]["name"] for p in cluster.list("pods", selector="app=echo")}
    seen = [cluster.kubectl("exec client -- wget -qO- echo/hostname") for _ in range(30)]
    assert set(seen) == names


def test_client_ip_affinity_pins_one_backend(cluster: Cluster) -> None:
    seen = {cluster.kubectl("exec client -- wget -qO- sticky/hostname") for _ in range(15)}
    assert len(seen) == 1


def test_clientip_shows_the_preserved_source(cluster: Cluster) -> None:
    # Pod to ClusterIP inside the cluster CIDR: no masquerade, the backend sees the pod.
    seen = cluster.kubectl("exec client -- wget -qO- echo/clientip")
    assert seen.rsplit(":", 1)[0] == ip_of(cluster, "pod", "client")


def test_clientip_shows_masquerading_on_hairpin(cluster: Cluster) -> None:
    # A pod reaching itself through its Service is masqueraded (KUBE-SEP's `-s <pod>/32 -j
    # KUBE-MARK-MASQ`) to its node's address on the veth, the pod CIDR's first address.
    pod = cluster.list("pods", selector="app=echo")[0]
    name, ip = pod["metadata"]["name"], pod["status"]["podIP"]
    gateway = ip.rsplit(".", 1)[0] + ".1"
    sources = {
        cluster.kubectl(f"exec {name} -- curl -s echo/clientip").rsplit(":", 1)[0]
        for _ in range(30)
    }
    assert sources == {ip, gateway}


def test_nslookup_bind_flavour(cluster: Cluster) -> None:
    # netshoot carries bind-tools: BIND 9's nslookup (see tests/network/test_nslookup.py).
    assert cluster.kubectl("exec shoot -- nslookup webapp1") == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
        f"Name:\twebapp1.default.svc.cluster.local\nAddress: {ip_of(cluster, 'svc', 'webapp1')}\n"
    )
    assert cluster.kubectl("exec shoot -- nslookup nope") == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
        # `nope.` is forwarded: SERVFAIL without internet (network/dns/upstream.py).
        "** server can't find nope: SERVFAIL\n\ncommand terminated with exit code 1"
    )


def test_nslookup_busybox_flavour(cluster: Cluster) -> None:
    # busybox 1.36 networking/nslookup.c: A and AAAA for every search domain, every reply
    # printed, exit status 1 as soon as one failed.
    nx = "** server can't find webapp1.{}: NXDOMAIN\n\n"
    assert cluster.kubectl("exec client -- nslookup webapp1") == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
        f"Name:\twebapp1.default.svc.cluster.local\nAddress: {ip_of(cluster, 'svc', 'webapp1')}\n\n"
        + nx.format("svc.cluster.local")
        + nx.format("cluster.local")
        + "\n"
        + nx.format("svc.cluster.local")
        + nx.format("cluster.local")
        + "command terminated with exit code 1"
    )


def test_cat_resolv_conf(cluster: Cluster) -> None:
    # kubelet GetPodDNS for ClusterFirst, written by containerd in search/nameserver/options order.
    assert cluster.kubectl("exec client -- cat /etc/resolv.conf") == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\noptions ndots:5"
    )


def test_env_has_only_services_created_before_the_pod(cluster: Cluster) -> None:
    cluster.kubectl("create service clusterip later --tcp=8080:8080")
    env = cluster.kubectl("exec client -- env").splitlines()
    assert env[:2] == [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOSTNAME=client",
    ]
    ip = ip_of(cluster, "svc", "webapp1")
    # pkg/kubelet/envvars FromServices; kubernetes.io docs "Environment variables".
    for line in (
        f"WEBAPP1_SERVICE_HOST={ip}",
        "WEBAPP1_SERVICE_PORT=80",
        f"WEBAPP1_PORT=tcp://{ip}:80",
        f"WEBAPP1_PORT_80_TCP=tcp://{ip}:80",
        "WEBAPP1_PORT_80_TCP_PROTO=tcp",
        "WEBAPP1_PORT_80_TCP_PORT=80",
        f"WEBAPP1_PORT_80_TCP_ADDR={ip}",
        "KUBERNETES_SERVICE_PORT_HTTPS=443",
    ):
        assert line in env
    assert not any(line.startswith("LATER_") for line in env)
    assert env[-1] == "HOME=/root"
    cluster.kubectl("run late --image=busybox -- sleep 3600")
    assert "LATER_SERVICE_PORT=8080" in cluster.kubectl("exec late -- env").splitlines()


def test_stdin_feeds_a_shell(cluster: Cluster) -> None:
    text = cluster.kubectl("exec -i client -- sh\nhostname\ncat /etc/hostname\nexit 3")
    assert text == "client\nclient\ncommand terminated with exit code 3"


def test_deployment_and_service_pick_the_first_active_pod(cluster: Cluster) -> None:
    # polymorphichelpers.attachablePodForObject: reversed podutils.ActivePods, ties in list
    # (name) order.
    first = sorted(p["metadata"]["name"] for p in cluster.list("pods", selector="app=echo"))[0]
    assert cluster.kubectl("exec deploy/echo -- hostname") == first
    assert cluster.kubectl("exec svc/echo -- hostname") == first
    assert cluster.kubectl("exec pod/client -- hostname") == "client"


def test_pick_prefers_ready_and_running_pods(cluster: Cluster) -> None:
    names = sorted(p["metadata"]["name"] for p in cluster.list("pods", selector="app=echo"))
    cluster.kill(names[0])  # exited: not ready until the kubelet restarts it
    assert pick_pod(cluster, cluster.get("deploy", "echo"))["metadata"]["name"] == names[1]


# -- refusals in kubectl's words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("exec nope -- ls", 'Error from server (NotFound): pods "nope" not found'),
        (
            "exec deploy/nope -- ls",
            'Error from server (NotFound): deployments.apps "nope" not found',
        ),
        ("exec client", "error: you must specify at least one command for the container"),
        ("exec client --", "error: you must specify at least one command for the container"),
        ("exec -- ls", "error: pod, type/name or --filename must be specified"),
        (
            "exec client ls",
            "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] "
            "instead\nSee 'kubectl exec -h' for help and examples",
        ),
        (
            "exec client --pod-running-timeout=0 -- ls",
            "error: --pod-running-timeout must be higher than zero\n"
            "See 'kubectl exec -h' for help and examples",
        ),
        (
            "exec client --pod-running-timeout=x -- ls",
            'error: invalid argument "x" for "--pod-running-timeout" flag: time: invalid '
            "duration \"x\"\nSee 'kubectl exec --help' for usage.",
        ),
        (
            "exec client --foo -- ls",
            "error: unknown flag: --foo\nSee 'kubectl exec --help' for usage.",
        ),
        (
            "exec client -c",
            "error: flag needs an argument: 'c' in -c\nSee 'kubectl exec --help' for usage.",
        ),
        (
            "exec svc/ -- ls",
            "error: arguments in resource/name form must have a single resource and name",
        ),
        ("exec foo/bar -- ls", 'error: the server doesn\'t have a resource type "foo"'),
        (
            "exec node/kind-worker -- ls",
            "error: cannot attach to *v1.Node: selector for *v1.Node not implemented",
        ),
        (
            "exec client -c foo -- ls",
            "Error from server (BadRequest): container foo is not valid for pod client",
        ),
    ],
)
def test_refusals_recorded_from_kubectl(cluster: Cluster, command: str, expected: str) -> None:
    assert refusal(cluster, command) == expected


def test_service_without_selector(cluster: Cluster) -> None:
    cluster.apply(
        "apiVersion: v1\nkind: Service\nmetadata: {name: nosel}\nspec: {ports: [{port: 80}]}"
    )
    assert refusal(cluster, "exec svc/nosel -- ls") == (
        "error: cannot attach to *v1.Service: invalid service 'nosel': Service is defined "
        "without a selector"
    )


def test_no_pod_behind_the_object_times_out(cluster: Cluster) -> None:
    # GetPodList watches for a pod until --pod-running-timeout: wait.ErrWaitTimeout's text.
    assert refusal(cluster, "exec svc/empty -- ls") == "error: timed out waiting for the condition"


def test_unscheduled_pod_has_no_host(cluster: Cluster) -> None:
    cluster.apply(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: stuck}\n"
        "spec: {nodeSelector: {disk: ssd}, containers: [{name: web, image: nginx}]}"
    )
    with pytest.raises(BadRequest) as caught:
        cluster.kubectl("exec stuck -- ls")
    assert str(caught.value) == (
        "Error from server (BadRequest): pod stuck does not have a host assigned"
    )


def test_several_containers(cluster: Cluster) -> None:
    cluster.apply(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: two}\nspec:\n"
        "  initContainers: [{name: setup, image: busybox}]\n"
        "  containers: [{name: web, image: nginx}, {name: side, image: busybox}]"
    )
    # podcmd.FindOrDefaultContainerByName; kubectl v1.33.1 printed the same line.
    assert cluster.kubectl("exec two -- hostname") == (
        'Defaulted container "web" out of: web, side, setup (init)\ntwo'
    )
    assert cluster.kubectl("exec -q two -- hostname") == "two"
    assert "Welcome" in cluster.kubectl("exec two -c side -- wget -qO- webapp1")
    # The kubelet finds no running container by that name (recorded text).
    assert refusal(cluster, "exec two -c setup -- ls") == (
        'error: unable to upgrade connection: container not found ("setup")'
    )


def test_default_container_annotation(cluster: Cluster) -> None:
    cluster.apply(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ann\n"
        "  annotations: {kubectl.kubernetes.io/default-container: side}\nspec:\n"
        "  containers: [{name: web, image: nginx}, {name: side, image: busybox}]"
    )
    assert cluster.kubectl("exec ann -- wget -qO- webapp1").startswith("<!DOCTYPE html>")


def test_tty_without_a_terminal(cluster: Cluster) -> None:
    # exec.go SetupTTY: stdin is not a terminal (a notebook, a script).
    assert cluster.kubectl("exec -it client -- hostname") == (
        "Unable to use a TTY - input is not a terminal or the right kind of file\nclient"
    )
    assert cluster.kubectl("exec -t client -- hostname") == "client"


def test_program_missing_from_the_image(cluster: Cluster) -> None:
    text = refusal(cluster, "exec client -- curl -s webapp1")
    # containerd/runc's error, wrapped by the kubelet and by the API server's stream
    # translator (apiserver/pkg/util/proxy/streamtranslator.go NewInternalError).
    prefix = (
        "error: Internal error occurred: Internal error occurred: error executing command in "
        'container: failed to exec in container: failed to start exec "'
    )
    suffix = (
        '": OCI runtime exec failed: exec failed: unable to start container process: exec: '
        '"curl": executable file not found in $PATH: unknown'
    )
    assert text.startswith(prefix)
    assert text.endswith(suffix)
    assert len(text) - len(prefix) - len(suffix) == 64
    assert refusal(cluster, "exec client -- /bin/bash").endswith(
        'exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown'
    )


def test_exit_status_after_output_is_appended(cluster: Cluster) -> None:
    text = run_kubectl(cluster.control_plane, "exec client -- sh -c 'hostname; exit 4'")
    assert text == "client\ncommand terminated with exit code 4\n"


def test_exit_status_without_output_raises(cluster: Cluster) -> None:
    with pytest.raises(KubectlError) as caught:
        cluster.kubectl("exec client -- false")
    assert str(caught.value) == "command terminated with exit code 1"


def test_not_found_pod_in_another_namespace(cluster: Cluster) -> None:
    with pytest.raises(NotFound):
        cluster.kubectl("exec -n kube-system client -- ls")


def test_go_durations() -> None:
    assert parse_duration("1m0s") == 60
    assert parse_duration("1.5h") == 5400
    assert parse_duration("300ms") == pytest.approx(0.3)
    for text, message in (
        ("5", 'time: missing unit in duration "5"'),
        ("5x", 'time: unknown unit "x" in duration "5x"'),
        ("", 'time: invalid duration ""'),
    ):
        with pytest.raises(ValueError, match=message.replace("(", r"\(")):
            parse_duration(text)
