"""Table cells for webhook configurations and ValidatingAdmissionPolicies (and bindings).

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0:
`printMutatingWebhook`, `printValidatingWebhook` (WEBHOOKS counts them),
`printValidatingAdmissionPolicy` (PARAMKIND `apiVersion/Kind` or `<unset>`) and
`printValidatingAdmissionPolicyBinding` (PARAMREF `namespace/name`, `*/name`, a selector, or
`<unset>`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, name, spec

__all__ = ["PRINTERS"]


def _webhooks_row(config: dict, now: datetime) -> list[Any]:
    return [name(config), len(config.get("webhooks") or []), object_age(config, now)]


def _policy_row(policy: dict, now: datetime) -> list[Any]:
    param_kind = spec(policy).get("paramKind")
    kind = "<unset>"
    if param_kind is not None:
        kind = f"{param_kind.get('apiVersion', '')}/{param_kind.get('kind', '')}"
    validations = len(spec(policy).get("validations") or [])
    return [name(policy), validations, kind, object_age(policy, now)]


def _selector_go_string(selector: dict) -> str:
    """The generated (gogo-protobuf) `LabelSelector.String()` the printer calls, not the
    label-selector syntax: `&LabelSelector{MatchLabels:map[string]string{app: web,},...}`."""
    labels = selector.get("matchLabels") or {}
    pairs = "".join(f"{key}: {labels[key]}," for key in sorted(labels))
    requirements = "".join(
        f"LabelSelectorRequirement{{Key:{r.get('key', '')},Operator:{r.get('operator', '')},"
        f"Values:[{' '.join(r.get('values') or [])}],}},"
        for r in selector.get("matchExpressions") or []
    )
    return (
        f"&LabelSelector{{MatchLabels:map[string]string{{{pairs}}},"
        f"MatchExpressions:[]LabelSelectorRequirement{{{requirements}}},}}"
    )


def _param_ref(ref: dict | None) -> str:
    if ref is None:
        return "<unset>"
    if ref.get("name"):
        return f"{ref.get('namespace') or '*'}/{ref['name']}"
    if ref.get("selector") is not None:
        return _selector_go_string(ref["selector"])
    return "<unset>"


def _binding_row(binding: dict, now: datetime) -> list[Any]:
    return [
        name(binding),
        spec(binding).get("policyName", ""),
        _param_ref(spec(binding).get("paramRef")),
        object_age(binding, now),
    ]


_WEBHOOKS = Printer((NAME, Column("Webhooks"), AGE), _webhooks_row)

PRINTERS = {
    "MutatingWebhookConfiguration": _WEBHOOKS,
    "ValidatingWebhookConfiguration": _WEBHOOKS,
    "ValidatingAdmissionPolicy": Printer(
        (NAME, Column("Validations"), Column("ParamKind"), AGE), _policy_row
    ),
    "ValidatingAdmissionPolicyBinding": Printer(
        (NAME, Column("PolicyName"), Column("ParamRef"), AGE), _binding_row
    ),
}
