"""The ways into a topology picture's Services from outside: node ports and load balancers.

Every NodePort (and LoadBalancer) Service port adds a row to each node's host box; an outside
client reaches every node's address. With externalTrafficPolicy Cluster a node port leads to
the Service; with Local only to the ready pods on that node (or, with none there, nowhere: the
packet is dropped). A load balancer's external IP sends to the Ready nodes not labelled
exclude-from-external-load-balancers; with Local only to those with a ready local endpoint
(they pass its health check), when any do.
"""

from __future__ import annotations

from kubenet_nb.api.well_known import EXCLUDE_FROM_LB_LABEL
from kubenet_nb.views.dot import Row, dot_id, port_name, table, text
from kubenet_nb.views.topology.drawing import NODE_IP_PORT, Drawing
from kubenet_nb.views.topology.endpoints import DrawnEndpoint, port_mapping
from kubenet_nb.views.topology.scene import object_key, qualified
from kubenet_nb.views.topology.services import external_local, ingress_addresses
from kubenet_nb.views.topology.styles import LOAD_BALANCER_STYLE, OUTSIDE_STYLE

__all__ = [
    "OUTSIDE_ID",
    "WaysIn",
    "load_balancer_nodes",
    "local_endpoints",
    "node_port_row",
]

OUTSIDE_ID = dot_id("outside", "client")
_DROPPED = '<FONT COLOR="#c92a2a">no local endpoint: dropped</FONT>'

Endpoints = dict[tuple[str, str], list[DrawnEndpoint]]


def node_port_row(nodeport: int, protocol: str) -> str:
    """The PORT of a node port's row in a host box."""
    return port_name("np", nodeport, protocol)


def local_endpoints(endpoints: list[DrawnEndpoint], node: str) -> list[DrawnEndpoint]:
    """What a node port with policy Local reaches on `node`: its ready endpoints there, else
    its serving terminating ones (kube-proxy's fallback), else none."""
    here = [e for e in endpoints if e.node == node]
    ready = [e for e in here if e.condition == "ready"]
    return ready or [e for e in here if e.condition == "terminating"]


def load_balancer_nodes(
    nodes: list[dict], service: dict, endpoints: list[DrawnEndpoint]
) -> list[str]:
    """The names of the nodes a load balancer sends the Service's traffic to."""
    eligible = []
    for node in nodes:
        conditions = (node.get("status") or {}).get("conditions") or ()
        ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
        if ready and EXCLUDE_FROM_LB_LABEL not in (node["metadata"].get("labels") or {}):
            eligible.append(node["metadata"]["name"])
    if external_local(service):
        healthy = {e.node for e in endpoints if e.condition == "ready"}
        return [name for name in eligible if name in healthy] or eligible
    return eligible


class WaysIn:
    """Node ports, load balancers and the outside client of one drawing."""

    def __init__(self, drawing: Drawing, endpoints: Endpoints) -> None:
        self.drawing = drawing
        self.endpoints = endpoints
        self.node_ports = sorted(
            (
                (svc, port)
                for svc in drawing.scene.services
                for port in (svc.get("spec") or {}).get("ports") or ()
                if port.get("nodePort")
                and (svc.get("spec") or {}).get("type") in ("NodePort", "LoadBalancer")
            ),
            key=lambda sp: (sp[1]["nodePort"], sp[1].get("protocol") or "TCP"),
        )
        self.balanced = [
            svc
            for svc in drawing.scene.services
            if (svc.get("spec") or {}).get("type") == "LoadBalancer" and ingress_addresses(svc)
        ]

    def rows(self) -> dict[str, list[Row]]:
        """The node-port rows of each node's host box."""
        rows: dict[str, list[Row]] = {}
        for node in self.drawing.scene.nodes:
            name = node["metadata"]["name"]
            for svc, port in self.node_ports:
                protocol, key = port.get("protocol") or "TCP", object_key(svc)
                words = text(f":{port['nodePort']}/{protocol} → {qualified(key)}:{port['port']}")
                if external_local(svc) and not local_endpoints(self.endpoints[key], name):
                    words += f" {_DROPPED}"
                rows.setdefault(name, []).append((words, node_port_row(port["nodePort"], protocol)))
        return rows

    def draw_outside(self, label: str | None) -> None:
        """The client outside the cluster, when node ports or load balancers exist or a trace
        starts outside (`label` names it then); it reaches every node's address."""
        if label is None and not self.node_ports and not self.balanced:
            return
        markup = table([text(label or "client outside the cluster")])
        self.drawing.add_node(self.drawing.graph, OUTSIDE_ID, markup, **OUTSIDE_STYLE)
        if self.node_ports:
            for host_id in self.drawing.host_ids.values():
                self.drawing.add_edge(OUTSIDE_ID, f"{host_id}:{NODE_IP_PORT}", "outside")

    def draw(self) -> None:
        """Edges from each node-port row, then each load balancer with its edges."""
        drawing = self.drawing
        for svc, port in self.node_ports:
            key, protocol = object_key(svc), port.get("protocol") or "TCP"
            for name, host_id in drawing.host_ids.items():
                row = f"{host_id}:{node_port_row(port['nodePort'], protocol)}"
                if not external_local(svc):
                    drawing.add_edge(row, dot_id("svc", *key), "node port", constraint="false")
                    continue
                pairs = [
                    (e, (port_mapping(port["nodePort"], protocol, target),))
                    for e in local_endpoints(self.endpoints[key], name)
                    for number, proto, target in e.targets
                    if (number, proto) == (port["port"], protocol)
                ]
                drawing.endpoint_edges(row, pairs, "local")
        for svc in self.balanced:
            key = object_key(svc)
            lb_id = dot_id("lb", *key)
            ports = [
                f"{p.get('port')}/{p.get('protocol') or 'TCP'}"
                for p in (svc.get("spec") or {}).get("ports") or ()
            ]
            rows = [f"<B>load balancer</B> for {text(qualified(key))}"]
            rows += [text(ip) for ip in ingress_addresses(svc)]
            rows.append(text(", ".join(ports)))
            drawing.add_node(drawing.graph, lb_id, table(rows), **LOAD_BALANCER_STYLE)
            drawing.add_edge(OUTSIDE_ID, lb_id, "outside")
            for name in load_balancer_nodes(drawing.scene.nodes, svc, self.endpoints[key]):
                if name in drawing.host_ids:
                    drawing.add_edge(
                        lb_id, f"{drawing.host_ids[name]}:{NODE_IP_PORT}", "load balancer"
                    )
