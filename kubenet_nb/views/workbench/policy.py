"""The workbench's NetworkPolicy form: a template filled in, edited as YAML, applied or deleted.

A template (default deny ingress or egress, allow from a namespace, allow DNS egress, allow from
pods with a label) is filled with the workbench's namespace and the labels typed, and written
into an editable text area; "Apply" posts the text as `kubectl apply -f -` does, so a typo is
refused in kubectl's or the API server's own words. The builders are plain methods over the
widgets' values, testable without clicking. The templates follow the NetworkPolicy concept page
(kubernetes/website content/en/docs/concepts/services-networking/network-policies.md: the
default policies, selecting a namespace by `kubernetes.io/metadata.name`), with `policyTypes`
written out.
"""

from __future__ import annotations

import ipywidgets as widgets
import yaml

from kubenet_nb.api.well_known import NAMESPACE_NAME_LABEL
from kubenet_nb.network.lookup import DNS_PORT
from kubenet_nb.views.workbench.forms import kubectl_line

__all__ = [
    "PROTOCOLS",
    "TEMPLATES",
    "PolicyForm",
    "label_selector",
]

PROTOCOLS = (("TCP", "TCP"), ("UDP", "UDP"), ("SCTP", "SCTP"))
"""What the reachability matrix can be asked for (networking/v1 NetworkPolicyPort.protocol)."""

TEMPLATES = (
    ("default deny ingress", "deny-ingress"),
    ("default deny egress", "deny-egress"),
    ("allow from a namespace", "from-namespace"),
    ("allow DNS egress", "dns-egress"),
    ("allow from pods with a label", "from-pods"),
)
"""The policies the form writes: (label, value)."""

_NAMES = {
    "deny-ingress": "default-deny-ingress",
    "deny-egress": "default-deny-egress",
    "from-namespace": "allow-from-namespace",
    "dns-egress": "allow-dns-egress",
    "from-pods": "allow-from-pods",
}
_HINTS = {
    "deny-ingress": (
        "Isolates the pods for ingress with no rule: no new connection reaches them, from "
        "anywhere (they time out, they are not refused). Their own connections out still work, "
        "and other policies can only add what they allow."
    ),
    "deny-egress": (
        "Isolates the pods for egress with no rule: they open no new connection at all, "
        "<b>DNS included</b>: queries to CoreDNS in kube-system are dropped too, so names stop "
        "resolving (timeouts). Apply “allow DNS egress” as well to give DNS back."
    ),
    "from-namespace": (
        "Only pods of the namespace named get in: a namespaceSelector matches labels, so it "
        f"names the namespace by <code>{NAMESPACE_NAME_LABEL}</code>, which the API server sets "
        "on every namespace."
    ),
    "dns-egress": (
        "Lets the pods reach CoreDNS (pods <code>k8s-app=kube-dns</code> in kube-system) on UDP "
        "and TCP 53. It isolates them for egress too: anything else out is dropped unless "
        "another policy allows it."
    ),
    "from-pods": (
        "Only pods with the label get in; a podSelector alone means pods of the policy's own "
        "namespace."
    ),
}
_WIDE = {"description_width": "10em"}
_WIDTH = "28em"


def label_selector(typed: str) -> dict:
    """A LabelSelector from `key=value` terms joined by commas; a bare `key` asks that the
    label exist; nothing typed selects every pod (`{}`).

    >>> label_selector("app=web, tier=front")
    {'matchLabels': {'app': 'web', 'tier': 'front'}}
    >>> label_selector("canary")
    {'matchExpressions': [{'key': 'canary', 'operator': 'Exists'}]}
    """
    labels: dict[str, str] = {}
    exists: list[dict] = []
    for term in typed.split(","):
        key, equals, value = term.partition("=")
        if equals:
            labels[key.strip()] = value.strip()
        elif key.strip():
            exists.append({"key": key.strip(), "operator": "Exists"})
    selector: dict = {}
    if labels:
        selector["matchLabels"] = labels
    if exists:
        selector["matchExpressions"] = exists
    return selector


def _text(description: str, placeholder: str = "") -> widgets.Text:
    return widgets.Text(
        description=description,
        placeholder=placeholder,
        style=_WIDE,
        layout=widgets.Layout(width=_WIDTH),
    )


class PolicyForm:
    """A NetworkPolicy from a template, as editable YAML; apply it, or delete one by name.

    The pods field is the policy's podSelector (empty: every pod of the namespace); the
    namespace and peer fields show only for the templates that use them. Changing a field
    writes the template into the text area again; what "Apply" posts is the text area's."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.template = widgets.Dropdown(
            options=TEMPLATES,
            description="Template",
            style=_WIDE,
            layout=widgets.Layout(width=_WIDTH),
        )
        self.name = _text("Policy name", _NAMES[TEMPLATES[0][1]])
        self.pods = _text("Pods (labels)", "app=web (empty: every pod)")
        self.source = _text("From namespace", "another namespace's name")
        self.peer = _text("From pods (labels)", "role=client")
        self.hint = widgets.HTML()
        self.manifest_text = widgets.Textarea(
            description="YAML",
            rows=16,
            style=_WIDE,
            layout=widgets.Layout(width="100%"),
        )
        self.apply = widgets.Button(description="Apply", button_style="primary")
        self.policy = widgets.Dropdown(
            options=[], description="Policy", style=_WIDE, layout=widgets.Layout(width=_WIDTH)
        )
        self.delete = widgets.Button(description="Delete policy", button_style="danger")
        self.matrix_port = widgets.BoundedIntText(
            value=80, min=1, max=65535, description="port", layout=widgets.Layout(width="12em")
        )
        self.matrix_protocol = widgets.Dropdown(
            options=PROTOCOLS, description="protocol", layout=widgets.Layout(width="14em")
        )
        note = widgets.HTML(
            "<small>Pick a template, type the labels, edit the YAML if you like: "
            "<b>Apply</b> posts it with <code>kubectl apply -f -</code>. kind's CNI drops "
            "what a policy denies: the client times out.</small>"
        )
        fields = widgets.GridBox(
            [self.template, self.name, self.pods, self.source, self.peer],
            layout=widgets.Layout(
                grid_template_columns=f"repeat(auto-fill, minmax({_WIDTH}, 1fr))"
            ),
        )
        self.box = widgets.VBox(
            [
                note,
                fields,
                self.hint,
                self.manifest_text,
                self.apply,
                widgets.HBox([self.policy, self.delete]),
            ]
        )
        for field in (self.template, self.name, self.pods, self.source, self.peer):
            field.observe(lambda _: self.fill(), names="value")
        self.fill()

    def policy_name(self) -> str:
        """The name typed, else the template's."""
        return self.name.value.strip() or _NAMES[self.template.value]

    def manifest(self) -> dict:
        """The NetworkPolicy the template and the fields stand for."""
        kind = self.template.value
        metadata: dict = {"name": self.policy_name()}
        if self.namespace != "default":
            metadata["namespace"] = self.namespace
        spec: dict = {"podSelector": label_selector(self.pods.value)}
        if kind in ("deny-egress", "dns-egress"):
            spec["policyTypes"] = ["Egress"]
        else:
            spec["policyTypes"] = ["Ingress"]
        if kind == "from-namespace":
            names = {NAMESPACE_NAME_LABEL: self.source.value.strip()}
            spec["ingress"] = [{"from": [{"namespaceSelector": {"matchLabels": names}}]}]
        elif kind == "from-pods":
            spec["ingress"] = [{"from": [{"podSelector": label_selector(self.peer.value)}]}]
        elif kind == "dns-egress":
            dns = {
                "namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: "kube-system"}},
                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
            }
            ports = [{"protocol": p, "port": DNS_PORT} for p in ("UDP", "TCP")]
            spec["egress"] = [{"to": [dns], "ports": ports}]
        return {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": metadata,
            "spec": spec,
        }

    def fill(self) -> None:
        """Write the template into the text area; show its fields and its hint."""
        kind = self.template.value
        self.name.placeholder = _NAMES[kind]
        self.source.layout.display = None if kind == "from-namespace" else "none"
        self.peer.layout.display = None if kind == "from-pods" else "none"
        self.hint.value = f"<small>{_HINTS[kind]}</small>"
        self.manifest_text.value = yaml.safe_dump(self.manifest(), sort_keys=False)

    def stdin(self) -> str:
        """What "Apply" feeds `kubectl apply -f -`: the text area, ending with a newline."""
        typed = self.manifest_text.value
        return typed if typed.endswith("\n") else typed + "\n"

    def delete_command(self) -> str:
        """`delete networkpolicy NAME` for the policy chosen."""
        return kubectl_line(self.namespace, "delete", "networkpolicy", self.policy.value or "")
