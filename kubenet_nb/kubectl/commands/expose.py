"""`kubectl expose TYPE NAME`: a Service for a Deployment, ReplicaSet, Pod or Service.

Follows k8s.io/kubectl/pkg/cmd/expose/expose.go and pkg/polymorphichelpers (v1.33), checked
against kubectl v1.33.1 (tests/kubectl/data/reference/expose/): the selector is the object's
`spec.selector.matchLabels` (a Pod's labels, a Service's selector), `matchExpressions` are
refused; without `--port` the ports come from the containers (deduplicated, in order) and are
named `port-1`, `port-2` when there are several, `port-N-<protocol>` when one number carries
several protocols; `targetPort` is `--target-port` or the port itself; the labels are the
object's own `metadata.labels` unless `--labels`.
"""

from __future__ import annotations

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    Invocation,
    check_errors,
    namespace_of,
    parse_flags,
    print_object,
    printing,
)
from kubenet_nb.kubectl.commands.delete import Target, select_targets
from kubenet_nb.kubectl.filenames import read_manifests
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.generate import atoi, int32, int_or_string, parse_label_spec, submit

__all__ = ["build_exposed_service", "ports_for", "protocols_for", "selector_for"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("port", default=""),
    Flag("protocol", default=""),
    Flag("type", default=""),
    Flag("load-balancer-ip", default=""),
    Flag("selector", default=""),
    Flag("labels", "l", default=""),
    Flag("target-port", default=""),
    Flag("external-ip", default=""),
    Flag("name", default=""),
    Flag("session-affinity", default=""),
    Flag("cluster-ip", default=""),
    Flag("filename", "f", "list"),
    Flag("save-config", kind="bool"),
    Flag("field-manager", default="kubectl-expose"),
    Flag("overrides", default=""),
)
EXPOSABLE = ("Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet")
_MAX_NAME = 63


def _make_labels(labels: dict[str, str]) -> str:
    """polymorphichelpers.MakeLabels: `k=v,k2=v2` (parsed back by the caller, as kubectl does)."""
    return ",".join(f"{key}={value}" for key, value in labels.items())


def _go_requirements(expressions: list[dict]) -> str:
    """`%+v` of []LabelSelectorRequirement: `[{Key:tier Operator:In Values:[fe be]}]`."""
    items = [
        f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} "
        f"Values:[{' '.join(e.get('values') or [])}]}}"
        for e in expressions
    ]
    return "[" + " ".join(items) + "]"


def selector_for(obj: dict) -> str:
    """polymorphichelpers.MapBasedSelectorForObject for the kinds kubenet-nb serves."""
    kind = obj["kind"]
    if kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise KubectlError("the pod has no labels and cannot be exposed")
        return _make_labels(labels)
    if kind == "Service":
        selector = obj.get("spec", {}).get("selector")
        if selector is None:
            raise KubectlError("the service has no pod selector set")
        return _make_labels(selector)
    selector = obj.get("spec", {}).get("selector") or {}
    if not selector.get("matchLabels"):
        raise KubectlError(f"invalid {kind.lower()}: no selectors, therefore cannot be exposed")
    if selector.get("matchExpressions"):
        expressions = _go_requirements(selector["matchExpressions"])
        raise KubectlError(
            f'couldn\'t convert expressions - "{expressions}" to map-based selector format'
        )
    return _make_labels(selector["matchLabels"])


def _container_ports(obj: dict) -> list[dict]:
    spec = obj.get("spec", {})
    if obj["kind"] != "Pod":
        spec = spec.get("template", {}).get("spec", {})
    return [port for c in spec.get("containers") or [] for port in c.get("ports") or []]


def ports_for(obj: dict) -> list[str]:
    """polymorphichelpers.PortsForObject: container ports (a Service's ports), deduplicated."""
    if obj["kind"] == "Service":
        numbers = [p.get("port", 0) for p in obj.get("spec", {}).get("ports") or []]
    else:
        numbers = [p.get("containerPort", 0) for p in _container_ports(obj)]
    return list(dict.fromkeys(str(n) for n in numbers))


def protocols_for(obj: dict) -> dict[str, list[str]]:
    """polymorphichelpers.MultiProtocolsForObject: port -> its protocols, TCP when unset."""
    if obj["kind"] == "Service":
        entries = [(p.get("port", 0), p.get("protocol")) for p in obj["spec"].get("ports") or []]
    else:
        entries = [(p.get("containerPort", 0), p.get("protocol")) for p in _container_ports(obj)]
    result: dict[str, list[str]] = {}
    for number, protocol in entries:
        result.setdefault(str(number), []).append(protocol or "TCP")
    return result


def _service_ports(port_text: str, protocol: str, protocols: dict[str, list[str]]) -> list[dict]:
    if not port_text:
        return []
    numbers = port_text.split(",")
    ports: list[dict] = []
    for i, number in enumerate(numbers, 1):
        port = int32(atoi(number))
        name = f"port-{i}" if len(numbers) > 1 else ""
        chosen = protocol
        if not protocol:
            found = protocols.get(number, ["TCP"]) if protocols else ["TCP"]
            if len(found) > 1:
                ports.extend(
                    {"name": f"port-{i}-{p.lower()}", "port": port, "protocol": p} for p in found
                )
                continue
            chosen = found[0]
        ports.append({"name": name, "port": port, "protocol": chosen})
    return ports


def build_exposed_service(obj: dict, values: dict[str, str], namespace: str | None = None) -> dict:
    """The Service `kubectl expose` builds for `obj` with the given flag values."""
    selector_text = values.get("selector") or ""
    if not selector_text:
        try:
            selector_text = selector_for(obj)
        except KubectlError as error:
            raise KubectlError(
                f"couldn't retrieve selectors via --selector flag or introspection: {error.message}"
            ) from None
    headless = values.get("cluster-ip") == "None"
    port_text = values.get("port") or ""
    if not port_text:
        found = ports_for(obj)
        if not found and not headless:
            raise KubectlError("couldn't find port via --port flag or introspection")
        port_text = ",".join(found)
    labels_text = values.get("labels") or _make_labels(obj["metadata"].get("labels") or {})
    if not selector_text:
        raise KubectlError("selector must be specified")
    selector = parse_label_spec(selector_text)
    labels = parse_label_spec(labels_text) if labels_text else None
    name = values.get("name") or obj["metadata"]["name"][:_MAX_NAME]
    ports = _service_ports(port_text, values.get("protocol") or "", protocols_for(obj))
    target = values.get("target-port") or ""
    for port in ports:
        port["targetPort"] = int_or_string(target) if target else port["port"]
        if not port["name"]:
            del port["name"]
    metadata: dict = {"name": name, "creationTimestamp": None}
    if labels:
        metadata["labels"] = labels
    if namespace:
        metadata["namespace"] = namespace
    spec: dict = {"selector": selector}
    if ports:
        spec["ports"] = ports
    if values.get("external-ip"):
        spec["externalIPs"] = [values["external-ip"]]
    if values.get("type"):
        spec["type"] = values["type"]
        if values["type"] == "LoadBalancer" and values.get("load-balancer-ip"):
            spec["loadBalancerIP"] = values["load-balancer-ip"]
    affinity = values.get("session-affinity")
    if affinity and affinity not in ("None", "ClientIP"):
        raise KubectlError(f"unknown session affinity: {affinity}")
    if affinity:
        spec["sessionAffinity"] = affinity
    if values.get("cluster-ip"):
        spec["clusterIP"] = values["cluster-ip"]
    return {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": spec,
        "status": {"loadBalancer": {}},
    }


def _targets(
    invocation: Invocation, args: list[str], files: list[str], namespace: str
) -> tuple[list[Target], list[KubenetError]]:
    if files:
        items = read_manifests(invocation, files)
        return [
            Target(
                invocation.cluster.resources.resolve(item[0]["kind"]),
                item[0]["metadata"]["name"],
                namespace,
                item[0],
            )
            for item in items
            if not isinstance(item, KubenetError)
        ], [item for item in items if isinstance(item, KubenetError)]
    return select_targets(invocation.cluster, args, namespace)


def run(invocation: Invocation) -> None:
    """`kubectl expose (-f FILE | TYPE NAME) [--port] [--target-port] [--type] ...`."""
    parsed = parse_flags(FLAGS, invocation.argv, "kubectl expose")
    values = parsed.values
    output, dry_run = printing(parsed)
    if values["overrides"]:
        raise KubectlError("--overrides is not supported by kubenet-nb")
    namespace, enforced = namespace_of(parsed)
    terminal = invocation.terminal
    targets, errors = _targets(invocation, parsed.args, values["filename"], namespace)
    for target in targets:
        try:
            if target.info.kind not in EXPOSABLE:
                group = f".{target.info.group}" if target.info.group else ""
                raise KubectlError(f"cannot expose a {target.info.kind}{group}")
            service = build_exposed_service(
                target.obj or {}, values, namespace if enforced else None
            )
            service = submit(invocation, service, namespace, dry_run)
        except KubenetError as error:
            errors.append(error)
            continue
        print_object(terminal, service, "exposed", output, dry_run)
    check_errors(errors)
