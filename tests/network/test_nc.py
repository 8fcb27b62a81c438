"""`nc -z` in a pod: netshoot's OpenBSD netcat and busybox's applet, through the packet walk.

Sources of the pinned words:
- OpenBSD: Debian netcat-openbsd 1.226-1 netcat.c (remote_connect, connect_with_timeout,
  connection_info, udptest), the source alpinelinux/aports main/netcat-openbsd/APKBUILD builds
  for netshoot (nicolaka/netshoot Dockerfile: `apk add ... netcat-openbsd`), linked with musl:
  strerror texts from bminor/musl src/errno/__strerror.h @ v1.2.5, getaddrinfo's from
  src/network/gai_strerror.c @ v1.2.5;
- busybox: mirror/busybox networking/nc_bloaty.c @ 1_36_1 (NC_110_COMPAT is on in defconfig,
  docker-library/busybox builds with `make defconfig`), libbb/xconnect.c @ 1_36_1 for
  `bad address`; glibc's strerror in the busybox image, musl's in alpine.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster, KubenetError

WEB = """
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web, role: http}}
spec:
  containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: udp-server, labels: {app: web, role: dns}}
spec:
  containers:
  - name: server
    image: example.com/udp-server:1.0
    ports: [{containerPort: 5353, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {role: http}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: udp}
spec:
  selector: {role: dns}
  ports: [{port: 53, targetPort: 5353, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: empty-udp}
spec:
  selector: {app: nothing}
  ports: [{port: 53, protocol: UDP}]
"""
DENY_WEB = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-web}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
"""
EXIT_1 = "command terminated with exit code 1"


def _cluster() -> Cluster:
    c = Cluster()
    c.apply(WEB)
    c.kubectl("run shoot --image=nicolaka/netshoot -- sleep infinity")
    c.kubectl("run bb --image=busybox -- sleep 3600")
    c.kubectl("run alp --image=alpine -- sleep 3600")
    c.kubectl("run agn --image=registry.k8s.io/e2e-test-images/agnhost:2.52 -- pause")
    c.kubectl("run listener --image=busybox -- nc -lk -p 7000")
    c.advance(30)
    return c


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return _cluster()


@pytest.fixture(scope="module")
def denied() -> Cluster:
    c = _cluster()
    c.apply(DENY_WEB)
    return c


def nc(c: Cluster, pod: str, args: str) -> str:
    """What `kubectl exec POD -- nc ARGS` prints, then nc's exit status (silent failures
    included: the shell echoes it)."""
    return str(c.kubectl(f"exec {pod} -- sh -c 'nc {args}; echo $?'"))


def svc_ip(c: Cluster, name: str) -> str:
    return c.get("svc", name)["spec"]["clusterIP"]


# -- OpenBSD netcat (netshoot) -------------------------------------------------------------------


def test_openbsd_success_is_reported_with_or_without_v(cluster: Cluster) -> None:
    # connection_info: `Connection to %s` ` (%s)` ` %s port [%s/%s] succeeded!`, printed when
    # `vflag || zflag`; /etc/services names port 80/tcp `http`
    ip = svc_ip(cluster, "web")
    line = f"Connection to web ({ip}) 80 port [tcp/http] succeeded!\n"
    assert str(cluster.kubectl("exec shoot -- nc -zv web 80")) == line.rstrip("\n")
    assert nc(cluster, "shoot", "-z web 80") == line + "0"
    # the address typed is not repeated; -n drops the service name too
    assert (
        nc(cluster, "shoot", f"-zvn {ip} 80") == f"Connection to {ip} 80 port [tcp/*] succeeded!\n0"
    )


def test_agnhost_has_openbsd_netcat_too(cluster: Cluster) -> None:
    # agnhost's Dockerfile: `apk add ... netcat-openbsd`
    ip = svc_ip(cluster, "web")
    assert nc(cluster, "agn", "-z web 80") == (
        f"Connection to web ({ip}) 80 port [tcp/http] succeeded!\n0"
    )


def test_probing_a_pod_that_runs_nc_listening(cluster: Cluster) -> None:
    # the listener pod's `nc -lk -p 7000` holds a socket; 7000 is in no /etc/services entry
    ip = cluster.get("pod", "listener")["status"]["podIP"]
    assert nc(cluster, "shoot", f"-zv {ip} 7000") == (
        f"Connection to {ip} 7000 port [tcp/*] succeeded!\n0"
    )
    assert nc(cluster, "bb", f"-zv {ip} 7000") == f"{ip} ({ip}:7000) open\n0"


def test_openbsd_refused(cluster: Cluster) -> None:
    # remote_connect: warn("connect to %s (%s) port %s (%s) %s", ..., "failed") + strerror
    out = cluster.kubectl("exec shoot -- nc -zv empty 80")
    ip = svc_ip(cluster, "empty")
    assert str(out) == (
        f"nc: connect to empty ({ip}) port 80 (tcp) failed: Connection refused\n{EXIT_1}"
    )
    assert nc(cluster, "shoot", "-z empty 80") == "1"  # without -v: silent


def test_openbsd_port_list_keeps_going(cluster: Cluster) -> None:
    # build_ports: LOW-HIGH ranges; ret is 0 once any port connected
    ip = svc_ip(cluster, "web")
    assert nc(cluster, "shoot", "-zv -w 1 web 80-81") == (
        f"Connection to web ({ip}) 80 port [tcp/http] succeeded!\n"
        f"nc: connect to web ({ip}) port 81 (tcp) timed out: Operation in progress\n0"
    )


def test_openbsd_times_out_on_a_policy_drop(denied: Cluster) -> None:
    # -w: connect_with_timeout's select returns 0, errno still connect()'s EINPROGRESS
    # (musl: "Operation in progress"); no -w: the kernel's ETIMEDOUT ("Operation timed out")
    ip = svc_ip(denied, "web")
    assert str(denied.kubectl("exec shoot -- nc -zv -w 1 web 80")) == (
        f"nc: connect to web ({ip}) port 80 (tcp) timed out: Operation in progress\n{EXIT_1}"
    )
    assert nc(denied, "shoot", "-zv web 80") == (
        f"nc: connect to web ({ip}) port 80 (tcp) failed: Operation timed out\n1"
    )


def test_openbsd_names_that_do_not_resolve(cluster: Cluster) -> None:
    # errx(1, "getaddrinfo for host \"%s\" port %s: %s", ..., gai_strerror(EAI_NONAME))
    name = "nope.default.svc.cluster.local"
    assert nc(cluster, "shoot", f"-zv {name} 80") == (
        f'nc: getaddrinfo for host "{name}" port 80: Name does not resolve\n1'
    )
    # -n: AI_NUMERICHOST, a name is never looked up
    assert nc(cluster, "shoot", "-zn web 80") == (
        'nc: getaddrinfo for host "web" port 80: Name does not resolve\n1'
    )


def test_openbsd_udp_fails_only_on_an_icmp_error(denied: Cluster) -> None:
    # udptest: writes for -w seconds (UDP_SCAN_TIMEOUT 3 without), -1 only on ECONNREFUSED,
    # and then "No info on failed or skipped test" even with -v
    c = denied
    assert c.trace("shoot", "udp", 53, "UDP", seed=1).verdict == "timeout"  # the policy drops it
    ip = svc_ip(c, "udp")
    assert nc(c, "shoot", "-zvu -w 1 udp 53") == (
        f"Connection to udp ({ip}) 53 port [udp/domain] succeeded!\n0"
    )
    assert nc(c, "shoot", "-zvu empty-udp 53") == "1"  # kube-proxy's REJECT: ICMP unreachable
    # -w 0: no wait after the first two writes, the ICMP error comes too late
    ip = svc_ip(c, "empty-udp")
    assert nc(c, "shoot", "-zvu -w 0 empty-udp 53") == (
        f"Connection to empty-udp ({ip}) 53 port [udp/domain] succeeded!\n0"
    )


def test_openbsd_argument_errors(cluster: Cluster) -> None:
    # strtonum errors: errx(1, "timeout %s: %s"), strtoport's "service \"%s\" unknown"
    assert nc(cluster, "shoot", "-zv -w abc web 80") == "nc: timeout invalid: abc\n1"
    assert nc(cluster, "shoot", "-zv web nosuch") == 'nc: service "nosuch" unknown\n1'
    assert nc(cluster, "shoot", "-zv web 70000") == "nc: port number too large: 70000\n1"


# -- busybox nc ----------------------------------------------------------------------------------


def test_busybox_open_and_refused(cluster: Cluster) -> None:
    # nc_main: `%s (%s) open` with the address as IP:PORT (xmalloc_sockaddr2dotted); a
    # refusal is printed only at -vv, which also ends with `sent %u, rcvd %u`
    ip = svc_ip(cluster, "web")
    assert nc(cluster, "bb", "-zv web 80") == f"web ({ip}:80) open\n0"
    assert nc(cluster, "bb", "-z web 80") == "0"
    empty = svc_ip(cluster, "empty")
    assert nc(cluster, "bb", "-zv empty 80") == "1"
    assert nc(cluster, "bb", "-zvv empty 80") == (
        f"nc: empty ({empty}:80): Connection refused\nsent 0, rcvd 0\n1"
    )


def test_busybox_times_out_on_a_policy_drop(denied: Cluster) -> None:
    # -w: the alarm's longjmp fakes ETIMEDOUT; bb_perror_msg with glibc's strerror (busybox
    # image) or musl's (alpine)
    ip = svc_ip(denied, "web")
    assert str(denied.kubectl("exec bb -- nc -zv -w 1 web 80")) == (
        f"nc: web ({ip}:80): Connection timed out\n{EXIT_1}"
    )
    assert nc(denied, "alp", "-zv -w 1 web 80") == f"nc: web ({ip}:80): Operation timed out\n1"
    assert nc(denied, "bb", "-z -w 1 web 80") == "1"


def test_busybox_bad_address_and_port(cluster: Cluster) -> None:
    # xhost2sockaddr: bb_error_msg("bad address '%s'"); bb_lookup_port: "bad port '%s'";
    # xatoi_positive: "invalid number '%s'"
    assert nc(cluster, "bb", "-zv nope 80") == "nc: bad address 'nope'\n1"
    assert nc(cluster, "bb", "-zv web 80-81") == "nc: bad port '80-81'\n1"
    assert nc(cluster, "bb", "-zv -w x web 80") == "nc: invalid number 'x'\n1"


def test_busybox_udp(denied: Cluster) -> None:
    # udptest: write, wait, write again; only ECONNREFUSED fails, printed at -vv
    c = denied
    ip = svc_ip(c, "udp")
    assert nc(c, "bb", "-zvu -w 1 udp 53") == f"udp ({ip}:53) open\n0"
    empty = svc_ip(c, "empty-udp")
    assert nc(c, "bb", "-zvu -w 1 empty-udp 53") == "1"
    assert nc(c, "bb", "-zvvu empty-udp 53") == (
        f"nc: empty-udp ({empty}:53): Connection refused\nsent 0, rcvd 0\n1"
    )


# -- what is not simulated -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pod", "args"),
    [
        ("shoot", "-l 8080"),
        ("shoot", "-v web 80"),
        ("bb", "-lp 8080"),
        ("bb", "web 80"),
        ("shoot", "-z"),
        ("shoot", "web 80 -z"),
    ],
)
def test_listening_and_sending_are_not_simulated(cluster: Cluster, pod: str, args: str) -> None:
    with pytest.raises(KubenetError, match="not simulated"):
        cluster.kubectl(f"exec {pod} -- nc {args}")
