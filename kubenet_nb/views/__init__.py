"""What a learner looks at: the topology picture (Graphviz), tables (pandas), the workbench."""

from __future__ import annotations

from kubenet_nb.views.picture import Picture
from kubenet_nb.views.tables import dns_table, pods_table, services_table
from kubenet_nb.views.tables.endpoints import endpoints_table
from kubenet_nb.views.tables.rules import rules_table
from kubenet_nb.views.tables.style import styled
from kubenet_nb.views.topology import topology

__all__ = [
    "Picture",
    "dns_table",
    "endpoints_table",
    "pods_table",
    "rules_table",
    "services_table",
    "styled",
    "topology",
]
