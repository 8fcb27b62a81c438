"""The workbench's forms: the widgets a learner fills in, and what each form sends.

Each form turns its fields into what a user would type: a kubectl command line (quoted as a
shell would need it) or the Service manifest `kubectl create -f -` posts. These builders are
plain methods over the widgets' values, so what a button sends is testable without clicking.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

import ipywidgets as widgets
import yaml

from kubenet_nb.api.names import is_dns1123_subdomain, is_valid_label_value, is_valid_port_num
from kubenet_nb.kubectl.commands.create import build_deployment
from kubenet_nb.kubectl.generate import int_or_string

__all__ = [
    "OUTSIDE",
    "SERVICE_TYPES",
    "DeployForm",
    "ExposeForm",
    "NodeForm",
    "PodForm",
    "TraceForm",
    "decimal",
    "kubectl_line",
    "set_options",
]

SERVICE_TYPES = (
    ("ClusterIP", "ClusterIP"),
    ("NodePort", "NodePort"),
    ("LoadBalancer", "LoadBalancer"),
    ("headless (clusterIP: None)", "headless"),
    ("ExternalName", "ExternalName"),
)
"""The Service shapes the expose form offers: (label, value)."""

OUTSIDE = "outside"
"""The trace form's source value for a client outside the cluster (its IP in another field)."""

_WIDE = {"description_width": "10em"}
_WIDTH = "28em"
_CHUNK_DIGITS = 1000


_INT32_MAX = 2**31 - 1
"""The largest value of kubectl's int32 flags (`--replicas`, `--port`)."""


def decimal(number: int) -> str:
    """`str(number)` past Python's 4300-digit limit: a number field holds any int.

    >>> len(decimal(10**5000)), decimal(-42)
    (5001, '-42')
    """
    chunk = 10**_CHUNK_DIGITS
    if -chunk < number < chunk:
        return str(number)
    high, low = divmod(abs(number), chunk)
    return ("-" if number < 0 else "") + decimal(high) + str(low).zfill(_CHUNK_DIGITS)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing ints of any size (a Service port typed in the form)."""


_Dumper.add_representer(
    int, lambda dumper, number: dumper.represent_scalar("tag:yaml.org,2002:int", decimal(number))
)


def kubectl_line(namespace: str, *words: str) -> str:
    """A kubectl command line (without `kubectl`), each word quoted for a shell; `-n` added
    unless the namespace is `default`. Empty words are left out, as a shell drops `$EMPTY`."""
    argv = [word for word in words if word]
    if namespace != "default":
        argv += ["-n", namespace]
    return shlex.join(argv)


def set_options(dropdown: widgets.Dropdown, options: Sequence[tuple[str, str | None]]) -> None:
    """Give a dropdown new (label, value) options, keeping its value when still offered."""
    options = tuple(options)
    if options == tuple(dropdown.options):
        return
    keep = dropdown.value
    dropdown.options = options
    values = [value for _, value in options]
    if keep in values:
        dropdown.value = keep
    elif options and dropdown.index is None:
        dropdown.index = 0


def _text(description: str, value: str = "", placeholder: str = "") -> widgets.Text:
    return widgets.Text(
        value=value,
        description=description,
        placeholder=placeholder,
        style=_WIDE,
        layout=widgets.Layout(width=_WIDTH),
    )


def _int(description: str, value: int) -> widgets.IntText:
    return widgets.IntText(
        value=value, description=description, style=_WIDE, layout=widgets.Layout(width=_WIDTH)
    )


def _choice(description: str, options: Sequence[tuple[str, str | None]]) -> widgets.Dropdown:
    return widgets.Dropdown(
        options=options, description=description, style=_WIDE, layout=widgets.Layout(width=_WIDTH)
    )


def _button(description: str, style: str = "") -> widgets.Button:
    return widgets.Button(description=description, button_style=style)


def _note(text: str) -> widgets.HTML:
    return widgets.HTML(f"<small>{text}</small>")


def _fields(*fields: widgets.Widget) -> widgets.GridBox:
    """A form's fields in as many columns as fit (two in a notebook), so that the form stays
    short and the picture below it in view."""
    return widgets.GridBox(
        list(fields),
        layout=widgets.Layout(grid_template_columns=f"repeat(auto-fill, minmax({_WIDTH}, 1fr))"),
    )


class DeployForm:
    """`kubectl create deployment NAME --image=IMAGE --replicas=N --port=PORT`, with a readiness
    probe when asked: then the Deployment that command makes, its container given
    `readinessProbe: httpGet / on the port`, is posted with `kubectl create -f -`.
    `kubectl create deployment` has no flag for probes (one writes the manifest out, as here),
    and "Fail readiness" needs a probe to fail."""

    def __init__(self) -> None:
        self.name = _text("Name", placeholder="web")
        self.image = _text("Image", value="nginx")
        self.replicas = _int("Replicas", 2)
        self.port = _int("Container port", 80)
        self.probe = widgets.Checkbox(value=True, description="readiness probe: GET / on the port")
        self.create = _button("Create deployment", "primary")
        note = _note(
            "Makes the Deployment <code>kubectl create deployment</code> makes (container port 0 "
            "leaves the port out); with the probe it is written out and posted with "
            "<code>kubectl create -f -</code>."
        )
        fields = _fields(self.name, self.image, self.replicas, self.port, self.probe)
        self.box = widgets.VBox([note, fields, self.create])

    def command(self, namespace: str) -> str:
        """The command line this form stands for."""
        image = self.image.value.strip()
        return kubectl_line(
            namespace,
            "create",
            "deployment",
            self.name.value.strip(),
            f"--image={image}" if image else "",
            f"--replicas={decimal(self.replicas.value)}",
            f"--port={decimal(self.port.value)}" if self.port.value else "",
        )

    def manifest(self, namespace: str) -> str | None:
        """The Deployment the command makes, with the probe, as YAML for `kubectl create -f -`.

        None when there is no probe to add (not asked, no port) or when only the command can
        say what happens: values kubectl's flags refuse, or an image whose container name
        takes kubectl's random suffix."""
        image, port, replicas = self.image.value.strip(), self.port.value, self.replicas.value
        name = self.name.value.strip()
        if not (self.probe.value and image and 0 <= replicas <= _INT32_MAX):
            return None
        # A name the API refuses, or a port it refuses, is refused in the command's words.
        if is_dns1123_subdomain(name) or is_valid_label_value(name) or is_valid_port_num(port):
            return None
        suffixed: list[bool] = []

        def suffix() -> str:
            suffixed.append(True)
            return ""

        deployment = build_deployment(
            name,
            [image],
            replicas=replicas,
            port=port,
            namespace=None if namespace == "default" else namespace,
            suffix=suffix,
        )
        if suffixed:
            return None
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        container["readinessProbe"] = {"httpGet": {"path": "/", "port": port}}
        # keys sorted, as `kubectl create deployment --dry-run=client -o yaml` prints them
        return yaml.dump(deployment, Dumper=_Dumper, sort_keys=True)


class ExposeForm:
    """A Service for a deployment's pods, sent as a manifest with `kubectl create -f -`.

    The fields of one type of Service show only for it (nodePort and the external policy for
    NodePort and LoadBalancer, the external name for ExternalName), and only the fields shown
    go into the manifest: the form stays short, and sends nothing the learner cannot see."""

    def __init__(self) -> None:
        self.deployment = _choice("Deployment", [])
        self.name = _text("Service name", placeholder="the deployment's name")
        self.type = _choice("Type", SERVICE_TYPES)
        self.port = _int("Port", 80)
        self.target_port = _text("targetPort", placeholder="the port (a number or a name)")
        self.node_port = _int("nodePort", 0)
        self.affinity = _choice("Session affinity", [("None", "None"), ("ClientIP", "ClientIP")])
        self.policy = _choice(
            "External policy",
            [("(not set)", ""), ("Cluster", "Cluster"), ("Local", "Local")],
        )
        self.external_name = _text("External name", placeholder="for ExternalName: example.com")
        self.create = _button("Create service", "primary")
        note = _note(
            "Posts a Service with <code>kubectl create -f -</code>: the selector and labels are "
            "the deployment's, as <code>kubectl expose</code> takes them; nodePort 0 lets the "
            "API server pick one."
        )
        fields = _fields(
            self.deployment,
            self.name,
            self.type,
            self.port,
            self.target_port,
            self.node_port,
            self.affinity,
            self.policy,
            self.external_name,
        )
        self.box = widgets.VBox([note, fields, self.create])
        self.type.observe(lambda _: self._show_type_fields(), names="value")
        self._show_type_fields()

    def _node_ports(self) -> bool:
        return self.type.value in ("NodePort", "LoadBalancer")

    def _show_type_fields(self) -> None:
        for field, shown in (
            (self.node_port, self._node_ports()),
            (self.policy, self._node_ports()),
            (self.external_name, self.type.value == "ExternalName"),
        ):
            field.layout.display = None if shown else "none"

    def manifest(self, deployment: dict | None, namespace: str) -> dict:
        """The Service object this form stands for; `deployment` gives selector and labels.

        targetPort is read as `kubectl expose --target-port` reads it: a number when it is one
        of int32's, else a port name."""
        kind = self.type.value
        source = (deployment or {}).get("metadata") or {}
        name = self.name.value.strip() or source.get("name", "")
        metadata: dict = {"name": name}
        if namespace != "default":
            metadata["namespace"] = namespace
        if source.get("labels"):
            metadata["labels"] = dict(source["labels"])
        port: dict = {"port": self.port.value, "protocol": "TCP"}
        target = self.target_port.value.strip()
        if target:
            port["targetPort"] = int_or_string(target)
        if self.node_port.value and self._node_ports():
            port["nodePort"] = self.node_port.value
        spec: dict = {"type": "ClusterIP" if kind == "headless" else kind, "ports": [port]}
        if kind == "headless":
            spec["clusterIP"] = "None"
        if kind == "ExternalName":
            spec["externalName"] = self.external_name.value.strip()
        elif deployment is not None:
            selector = ((deployment.get("spec") or {}).get("selector") or {}).get("matchLabels")
            spec["selector"] = dict(selector or {})
        spec["sessionAffinity"] = self.affinity.value
        if self.policy.value and self._node_ports():
            spec["externalTrafficPolicy"] = self.policy.value
        return {"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec}

    @staticmethod
    def stdin(manifest: dict) -> str:
        """The manifest as the YAML fed to `kubectl create -f -`."""
        return yaml.dump(manifest, Dumper=_Dumper, sort_keys=False)

    def target(self, manifest: dict) -> str:
        """What a pod would connect to for this Service: `name:port`."""
        return f"{manifest['metadata']['name']}:{decimal(self.port.value)}"


class PodForm:
    """Scale a deployment with a slider; fail, restore or delete one pod."""

    def __init__(self) -> None:
        self.deployment = _choice("Deployment", [])
        self.replicas = widgets.IntSlider(
            value=0,
            min=0,
            max=20,
            description="Replicas",
            continuous_update=False,
            style=_WIDE,
            layout=widgets.Layout(width=_WIDTH),
        )
        self.pod = _choice("Pod", [])
        self.fail = _button("Fail readiness", "warning")
        self.restore = _button("Restore readiness", "success")
        self.delete = _button("Delete pod", "danger")
        notes = (
            _note("The slider runs <code>kubectl scale deployment NAME --replicas=N</code>."),
            _note(
                "A failing readiness probe takes the pod out of its Services' endpoints; "
                "<code>kubectl delete pod</code> lets its ReplicaSet make a new one."
            ),
        )
        buttons = widgets.HBox([self.fail, self.restore, self.delete])
        self.box = widgets.VBox(
            [notes[0], _fields(self.deployment, self.replicas), notes[1], self.pod, buttons]
        )

    def scale_command(self, namespace: str) -> str:
        """`scale deployment NAME --replicas=N` for the selected deployment."""
        name = self.deployment.value or ""
        return kubectl_line(
            namespace, "scale", "deployment", name, f"--replicas={decimal(self.replicas.value)}"
        )

    def delete_command(self, namespace: str) -> str:
        """`delete pod NAME` for the selected pod."""
        return kubectl_line(namespace, "delete", "pod", self.pod.value or "")


class NodeForm:
    """`kubectl cordon`, `uncordon` and `drain` on one node."""

    def __init__(self) -> None:
        self.node = _choice("Node", [])
        self.cordon = _button("Cordon")
        self.uncordon = _button("Uncordon")
        self.drain = _button("Drain", "danger")
        self.ignore_daemonsets = widgets.Checkbox(value=True, description="--ignore-daemonsets")
        self.delete_emptydir = widgets.Checkbox(value=False, description="--delete-emptydir-data")
        self.force = widgets.Checkbox(value=False, description="--force")
        note = _note(
            "Cordon marks the node unschedulable; drain cordons it and evicts its pods "
            "(kind runs kindnet and kube-proxy on every node as DaemonSets)."
        )
        flags = widgets.HBox([self.ignore_daemonsets, self.delete_emptydir, self.force])
        buttons = widgets.HBox([self.cordon, self.uncordon, self.drain])
        self.box = widgets.VBox([note, self.node, buttons, flags])

    def command(self, verb: str) -> str:
        """`cordon NODE`, `uncordon NODE` or `drain NODE [flags]` (nodes have no namespace)."""
        words = [verb, self.node.value or ""]
        if verb == "drain":
            for box in (self.ignore_daemonsets, self.delete_emptydir, self.force):
                if box.value:
                    words.append(box.description)
        return kubectl_line("default", *words)


class TraceForm:
    """A connection from a pod, a node or an outside client to a name or `ip:port`; the
    outside client's fields (its IP, the node it enters by) show only when it is the source."""

    def __init__(self) -> None:
        self.source = _choice("From", [])
        self.client_ip = _text("Outside client IP", value="172.18.0.1")
        self.via = _choice("Enters by node", [])
        self.target = _text("To", placeholder="web:80 or 10.96.0.10:53")
        self.trace = _button("Trace", "primary")
        self.send = _button("Send 100 requests")
        note = _note(
            "A pod resolves names through the cluster DNS; an outside client needs an address "
            "(a node IP and nodePort, a load balancer IP). The picture highlights the path."
        )
        buttons = widgets.HBox([self.trace, self.send])
        fields = _fields(self.source, self.target, self.client_ip, self.via)
        self.box = widgets.VBox([note, fields, buttons])
        self.source.observe(lambda _: self._show_outside_fields(), names="value")
        self._show_outside_fields()

    def _show_outside_fields(self) -> None:
        """The client IP and the entry node only when the trace starts outside the cluster."""
        display = None if self.source.value == OUTSIDE else "none"
        self.client_ip.layout.display = display
        self.via.layout.display = display

    def sender(self) -> str:
        """What the trace starts from: `namespace/pod`, a node name or the outside IP."""
        if self.source.value == OUTSIDE:
            return self.client_ip.value.strip()
        return self.source.value or ""

    def entry(self) -> str | None:
        """The node an outside client's packet enters by (None: the engine's choice)."""
        return self.via.value if self.source.value == OUTSIDE else None
