"""Servers run by their own image: web servers, databases, demo applications, add-ons.

Each entry's source names where its default sockets and flags come from (the image's
Dockerfile EXPOSE/ENTRYPOINT/CMD or the program's flag defaults, repository path @ commit or
tag). A socket a program opens from a configuration file (nginx's, Apache's) does not move with
flags, so those entries have none.
"""

from __future__ import annotations

from kubenet_nb.cluster.images.model import LOOPBACK, Image, ListenPort, Program

__all__ = ["SERVERS"]


def _fixed(names: tuple[str, ...], ports: tuple[int, ...], source: str) -> Image:
    """An image whose program listens on fixed TCP ports."""
    return Image((Program(names, tuple(ListenPort(p) for p in ports), source),), source=source)


def _library(program: str, sockets: tuple[ListenPort, ...], source: str) -> Image:
    """A docker-library image: docker-entrypoint.sh, CMD [program], `-`-args go to program."""
    return Image(
        (Program((program,), sockets, source, single_dash=False),),
        entrypoint=("docker-entrypoint.sh",),
        cmd=(program,),
        source=source,
        prepends=program,
    )


_NGINX = "nginxinc/docker-nginx mainline/debian/Dockerfile @ 1.27.3"
SERVERS: dict[str, Image] = {
    "nginx": Image(
        (Program(("nginx",), (ListenPort(80),), f"{_NGINX}: EXPOSE 80; default.conf listen 80"),),
        entrypoint=("/docker-entrypoint.sh",),
        cmd=("nginx", "-g", "daemon off;"),
        source=_NGINX,
    ),
    "nginxinc/nginx-unprivileged": Image(
        (
            Program(
                ("nginx",),
                (ListenPort(8080),),
                "nginxinc/docker-nginx-unprivileged mainline/debian/Dockerfile: EXPOSE 8080",
            ),
        ),
        entrypoint=("/docker-entrypoint.sh",),
        cmd=("nginx", "-g", "daemon off;"),
    ),
    "httpd": Image(
        (
            Program(
                ("httpd-foreground", "httpd"), (ListenPort(80),), "docker-library/httpd: EXPOSE 80"
            ),
        ),
        cmd=("httpd-foreground",),
    ),
    "hashicorp/http-echo": Image(
        (
            Program(
                ("http-echo",),
                (ListenPort(5678, flags=("listen",)),),
                'hashicorp/http-echo main.go @ 078c807: -listen ":5678" (Go flag)',
            ),
        ),
        entrypoint=("/http-echo",),
    ),
    "traefik/whoami": Image(
        (
            Program(
                ("whoami",),
                (ListenPort(80, flags=("port",), env=("WHOAMI_PORT_NUMBER",)),),
                'traefik/whoami app.go @ 01018ab: -port, default $WHOAMI_PORT_NUMBER or "80"',
            ),
        ),
        entrypoint=("/whoami",),
    ),
    "mccutchen/go-httpbin": Image(
        (
            Program(
                ("go-httpbin",),
                (ListenPort(8080, flags=("port",), env=("PORT",)),),
                "mccutchen/go-httpbin httpbin/cmd/cmd.go @ 056d0cf: -port 8080, else $PORT",
            ),
        ),
        cmd=("/bin/go-httpbin",),
    ),
    "kennethreitz/httpbin": _fixed(
        ("gunicorn",), (80,), "postmanlabs/httpbin Dockerfile: gunicorn -b 0.0.0.0:80; EXPOSE 80"
    ),
    "ealen/echo-server": Image(
        (
            Program(
                ("node",),
                (ListenPort(80, env=("PORT",)),),
                "Ealenn/Echo-Server Dockerfile: ENV PORT 80",
            ),
        ),
    ),
    "echoserver": _fixed(
        ("nginx",),
        (8080, 8443),
        "kubernetes-retired/contrib ingress/echoheaders nginx.conf: listen 8080, 8443 ssl",
    ),
    "stefanprodan/podinfo": Image(
        (
            Program(
                ("podinfo",),
                (
                    ListenPort(9898, flags=("port",), env=("PODINFO_PORT",)),
                    ListenPort(0, flags=("port-metrics",), env=("PODINFO_PORT_METRICS",)),
                    ListenPort(0, flags=("grpc-port",), env=("PODINFO_GRPC_PORT",)),
                ),
                "stefanprodan/podinfo cmd/podinfo/main.go: --port 9898, --port-metrics 0,"
                " --grpc-port 0 (0: off); viper reads PODINFO_<FLAG>",
                single_dash=False,
            ),
        ),
        cmd=("./podinfo",),
    ),
    "redis": _library(
        "redis-server", (ListenPort(6379, flags=("port",)),), "docker-library/redis: EXPOSE 6379"
    ),
    "google_samples/gb-redisslave": _fixed(
        ("redis-server", "run.sh"), (6379,), "kubernetes/examples guestbook redis-slave: 6379"
    ),
    "google-samples/gb-redis-follower": _fixed(
        ("redis-server",), (6379,), "kubernetes/examples guestbook redis-follower: 6379"
    ),
    "google-samples/gb-frontend": _fixed(
        ("apache2-foreground",), (80,), "kubernetes/examples guestbook php-redis: EXPOSE 80"
    ),
    "mysql": _library(
        "mysqld",
        (
            ListenPort(3306, flags=("port", "P")),
            ListenPort(33060, flags=("mysqlx-port", "mysqlx_port")),
        ),
        "docker-library/mysql 8.0/Dockerfile.oracle: EXPOSE 3306 33060",
    ),
    "postgres": _library(
        "postgres",
        (ListenPort(5432, flags=("p",), env=("PGPORT",)),),
        "docker-library/postgres Dockerfile: EXPOSE 5432; postgres -p, $PGPORT",
    ),
    "memcached": _library(
        "memcached",
        (ListenPort(11211, flags=("p", "port")),),
        "docker-library/memcached Dockerfile: EXPOSE 11211; memcached -p",
    ),
    "mongo": _library(
        "mongod",
        (ListenPort(27017, flags=("port",)),),
        "docker-library/mongo Dockerfile: EXPOSE 27017",
    ),
    "wordpress": Image(
        (
            Program(
                ("apache2-foreground",),
                (ListenPort(80),),
                "docker-library/wordpress apache: EXPOSE 80",
            ),
        ),
        entrypoint=("docker-entrypoint.sh",),
        cmd=("apache2-foreground",),
    ),
    "kubernetes-zookeeper": Image(
        (
            Program(
                ("start-zookeeper",),
                (
                    ListenPort(2181, flags=("client_port",)),
                    ListenPort(2888, flags=("server_port",)),
                    ListenPort(3888, flags=("election_port",)),
                ),
                "kubernetes-retired/contrib statefulsets/zookeeper/scripts/start.sh:"
                " --client_port 2181, --server_port 2888, --election_port 3888",
                single_dash=False,
            ),
        ),
    ),
    "google-samples/cassandra": Image(
        (
            Program(
                ("cassandra", "run.sh"),
                (ListenPort(7000), ListenPort(9042), ListenPort(7199, bind=LOOPBACK)),
                "kubernetes/examples cassandra/image: cassandra.yaml storage_port 7000,"
                " native_transport_port 9042; cassandra-env.sh LOCAL_JMX=yes (7199 on localhost)",
            ),
        ),
    ),
    "metrics-server/metrics-server": Image(
        (
            Program(
                ("metrics-server",),
                (ListenPort(443, flags=("secure-port",)),),
                "kubernetes-sigs/metrics-server cmd/metrics-server/app/options/options.go @"
                " 087ef6b: genericoptions.NewSecureServingOptions (--secure-port 443)",
                single_dash=False,
            ),
        ),
        entrypoint=("/metrics-server",),
    ),
    "ingress-nginx/controller": Image(
        (
            Program(
                ("nginx-ingress-controller",),
                (
                    ListenPort(80, flags=("http-port",)),
                    ListenPort(443, flags=("https-port",)),
                    ListenPort(8181, flags=("default-server-port",)),
                    ListenPort(10254, flags=("healthz-port",)),
                    ListenPort(0, flags=("validating-webhook",)),
                    ListenPort(10246, flags=("status-port",), bind=LOOPBACK),
                ),
                "kubernetes/ingress-nginx pkg/flags/flags.go: --http-port 80, --https-port 443,"
                " --default-server-port 8181, --healthz-port 10254, --status-port 10246"
                " (127.0.0.1), --validating-webhook (address, none by default)",
                single_dash=False,
            ),
        ),
        entrypoint=("/usr/bin/dumb-init", "--"),
        cmd=("/nginx-ingress-controller",),
    ),
    "kubernetesui/dashboard": Image(
        (
            Program(
                ("dashboard",),
                (
                    ListenPort(8443, flags=("port",), switch=("auto-generate-certificates", False)),
                    ListenPort(9090, flags=("insecure-port",), unless="auto-generate-certificates"),
                ),
                "kubernetes/dashboard src/app/backend/dashboard.go @ v2.7.0: TLS on --port 8443"
                " with certificates, else plain HTTP on --insecure-port 9090",
                single_dash=False,
            ),
        ),
        entrypoint=("/dashboard", "--insecure-bind-address=0.0.0.0", "--bind-address=0.0.0.0"),
    ),
    "kubernetesui/metrics-scraper": _fixed(
        ("metrics-sidecar",), (8000,), "kubernetes-sigs/dashboard-metrics-scraper: EXPOSE 8000"
    ),
    "rancher/local-path-provisioner": _fixed(
        ("local-path-provisioner",), (), "rancher/local-path-provisioner: a controller, no socket"
    ),
}
SERVERS["k8s-staging-metrics-server/metrics-server"] = SERVERS["metrics-server/metrics-server"]
SERVERS["kindest/local-path-provisioner"] = SERVERS["rancher/local-path-provisioner"]
