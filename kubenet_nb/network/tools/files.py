"""What the kubelet and containerd put in a container: hostname, /etc/hosts, the environment.

- The hostname is `spec.hostname` or the pod's name, cut to 63 characters without a trailing
  `-` or `.`; with `setHostnameAsFQDN` and a subdomain, the FQDN; a hostNetwork pod has its
  node's (pkg/kubelet/kubelet_pods.go GeneratePodHostNameAndDomain, truncatePodHostnameIfNeeded).
- /etc/hosts is the kubelet's managed file: its header, localhost lines, the pod IPs with the
  hostname (and `<hostname>.<subdomain>.<ns>.svc.<zone>` with a subdomain), then HostAliases
  (kubelet_pods.go managedHostsFileContent, hostsEntriesFromHostAliases).
- The environment is containerd's order: PATH, HOSTNAME, the image's ENV, the container's `env`
  (values with `$(VAR)` expanded, and the usual `fieldRef`s), the Service variables, then HOME
  (runc adds it). The Service variables are the kubelet's (pkg/kubelet/envvars FromServices):
  `<NAME>_SERVICE_HOST`, `_SERVICE_PORT`, `_SERVICE_PORT_<PORTNAME>` and the Docker-link ones
  (`<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`), for Services with a
  ClusterIP in the pod's namespace when `enableServiceLinks` (default true), and always for
  default/kubernetes. Only Services that existed when the container started count: created in an
  earlier second than the pod's startTime, or in the same second with a lower resourceVersion
  than the pod's (the simulation records no finer start time). The kubelet adds them from a Go
  map, in random order; here they are sorted by name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kubenet_nb.network.tools.images import DEFAULT_PATH, Toolbox

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["environment", "hostname", "hosts_file", "service_variables"]

HOSTNAME_MAX = 63
MASTER_SERVICE = ("default", "kubernetes")
_REFERENCE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\$\$")
_FIELDS = {
    "metadata.name": lambda pod: pod["metadata"]["name"],
    "metadata.namespace": lambda pod: pod["metadata"].get("namespace", "default"),
    "metadata.uid": lambda pod: pod["metadata"].get("uid", ""),
    "spec.nodeName": lambda pod: pod["spec"].get("nodeName", ""),
    "spec.serviceAccountName": lambda pod: pod["spec"].get("serviceAccountName", ""),
    "status.podIP": lambda pod: (pod.get("status") or {}).get("podIP", ""),
    "status.hostIP": lambda pod: (pod.get("status") or {}).get("hostIP", ""),
}


def _short_name(pod: dict) -> str:
    spec = pod.get("spec") or {}
    name = spec.get("hostname") or pod["metadata"]["name"]
    return name[:HOSTNAME_MAX].rstrip("-.")


def _domain(pod: dict, cluster_domain: str) -> str:
    subdomain = (pod.get("spec") or {}).get("subdomain")
    if not subdomain:
        return ""
    return f"{subdomain}.{pod['metadata'].get('namespace', 'default')}.svc.{cluster_domain}"


def hostname(pod: dict, cluster_domain: str = "cluster.local") -> str:
    """What `hostname` prints in the pod."""
    spec = pod.get("spec") or {}
    if spec.get("hostNetwork"):
        return spec.get("nodeName", "")
    domain = _domain(pod, cluster_domain)
    if spec.get("setHostnameAsFQDN") and domain:
        return f"{_short_name(pod)}.{domain}"
    return _short_name(pod)


def hosts_file(pod: dict, cluster_domain: str = "cluster.local") -> str:
    """The /etc/hosts of a pod with its own network namespace."""
    lines = [
        "# Kubernetes-managed hosts file.",
        "127.0.0.1\tlocalhost",
        "::1\tlocalhost ip6-localhost ip6-loopback",
        "fe00::0\tip6-localnet",
        "fe00::0\tip6-mcastprefix",
        "fe00::1\tip6-allnodes",
        "fe00::2\tip6-allrouters",
    ]
    name, domain = _short_name(pod), _domain(pod, cluster_domain)
    for entry in (pod.get("status") or {}).get("podIPs") or []:
        lines.append(
            f"{entry['ip']}\t{name}.{domain}\t{name}" if domain else f"{entry['ip']}\t{name}"
        )
    aliases = (pod.get("spec") or {}).get("hostAliases") or []
    if aliases:
        lines += ["", "# Entries added by HostAliases."]
        lines += [f"{a.get('ip', '')}\t" + "\t".join(a.get("hostnames") or []) for a in aliases]
    return "".join(line + "\n" for line in lines)


def _variable(name: str) -> str:
    return name.upper().replace("-", "_")


def _existed_at_start(service: dict, pod: dict) -> bool:
    started = (pod.get("status") or {}).get("startTime") or ""
    created = service["metadata"].get("creationTimestamp") or ""
    if created != started:
        return created < started
    return int(service["metadata"].get("resourceVersion") or 0) < int(
        pod["metadata"].get("resourceVersion") or 0
    )


def service_variables(services: list[dict]) -> list[tuple[str, str]]:
    """envvars.FromServices for these Services, in their order."""
    found: list[tuple[str, str]] = []
    for service in services:
        spec = service.get("spec") or {}
        ip, ports = spec.get("clusterIP"), spec.get("ports") or []
        if not ip or ip == "None" or not ports:
            continue
        prefix = _variable(service["metadata"]["name"])
        found.append((f"{prefix}_SERVICE_HOST", ip))
        found.append((f"{prefix}_SERVICE_PORT", str(ports[0]["port"])))
        found += [
            (f"{prefix}_SERVICE_PORT_{_variable(p['name'])}", str(p["port"]))
            for p in ports
            if p.get("name")
        ]
        host = f"[{ip}]" if ":" in ip else ip
        for index, port in enumerate(ports):
            protocol = port.get("protocol") or "TCP"
            url = f"{protocol.lower()}://{host}:{port['port']}"
            if index == 0:
                found.append((f"{prefix}_PORT", url))
            base = f"{prefix}_PORT_{port['port']}_{protocol.upper()}"
            found += [
                (base, url),
                (f"{base}_PROTO", protocol.lower()),
                (f"{base}_PORT", str(port["port"])),
                (f"{base}_ADDR", ip),
            ]
    return found


def _service_env(cluster: ControlPlane, pod: dict) -> dict[str, str]:
    namespace = pod["metadata"].get("namespace", "default")
    links = (pod.get("spec") or {}).get("enableServiceLinks", True) is not False
    chosen: dict[str, dict] = {}
    for service in cluster.store.list("Service"):
        meta = service["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if not _existed_at_start(service, pod):
            continue
        if key == MASTER_SERVICE or (links and key[0] == namespace):
            chosen.setdefault(meta["name"], service)
    return dict(service_variables(list(chosen.values())))


def _expand(value: str, known: dict[str, str]) -> str:
    """Kubernetes' $(VAR) expansion: known names are replaced, `$$` is a literal `$`."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return known.get(name, match.group(0))

    return _REFERENCE.sub(replace, value)


def environment(
    cluster: ControlPlane, pod: dict, container: dict, toolbox: Toolbox
) -> list[tuple[str, str]]:
    """The container's environment, in the order `env` prints it."""
    domain = cluster.settings.cluster_domain
    services = _service_env(cluster, pod)
    declared: dict[str, str] = {}
    for item in container.get("env") or []:
        if "value" in item or not item.get("valueFrom"):
            declared[item["name"]] = _expand(item.get("value") or "", {**services, **declared})
            continue
        field = (item["valueFrom"].get("fieldRef") or {}).get("fieldPath")
        if field in _FIELDS:
            declared[item["name"]] = _FIELDS[field](pod)
    result: dict[str, str] = {"PATH": DEFAULT_PATH, "HOSTNAME": hostname(pod, domain)}
    result.update(toolbox.env)
    result.update(declared)
    for name in sorted(services):
        result.setdefault(name, services[name])
    result.setdefault("HOME", toolbox.home)
    return list(result.items())
