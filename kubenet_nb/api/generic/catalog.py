"""Where the kinds' rules live: one module per kind family, each exporting `RULES`.

A new kind with API rules is one new module and one line here.
"""

from __future__ import annotations

from kubenet_nb.api.admissionregistration import policies, webhooks
from kubenet_nb.api.apiextensions import crd
from kubenet_nb.api.apps import controllerrevision, statefulset
from kubenet_nb.api.autoscaling import hpa
from kubenet_nb.api.batch import cronjob, job
from kubenet_nb.api.certificates import csr
from kubenet_nb.api.coordination import lease
from kubenet_nb.api.core import config, policy, templates, volumes
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.networking import ingressclass, networkpolicy
from kubenet_nb.api.node import runtime
from kubenet_nb.api.policy import pdb
from kubenet_nb.api.rbac import bindings, roles
from kubenet_nb.api.scheduling import priority
from kubenet_nb.api.storage import classes, csi

__all__ = ["rules_for"]

_MODULES: tuple[tuple[KindRules, ...], ...] = (
    config.RULES,
    volumes.RULES,
    policy.RULES,
    templates.RULES,
    classes.RULES,
    csi.RULES,
    priority.RULES,
    runtime.RULES,
    roles.RULES,
    bindings.RULES,
    webhooks.RULES,
    policies.RULES,
    lease.RULES,
    csr.RULES,
    pdb.RULES,
    ingressclass.RULES,
    networkpolicy.RULES,
    statefulset.RULES,
    controllerrevision.RULES,
    job.RULES,
    cronjob.RULES,
    hpa.RULES,
    crd.RULES,
)

_BY_KIND = {rules.kind: rules for module in _MODULES for rules in module}


def rules_for(kind: str) -> KindRules:
    """The rules of a kind (the generic ones if no module gives any)."""
    return _BY_KIND.get(kind) or KindRules(kind)
