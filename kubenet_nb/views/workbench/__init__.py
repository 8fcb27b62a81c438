"""`Workbench`: an ipywidgets app to drive a cluster without code and watch what it does.

Every button does what a user would do (a kubectl command line, `c.set_ready`, `c.trace`,
`c.send`, `kubectl apply -f -` for a NetworkPolicy), so the cluster answers as it answers
anyone: its Events, its refusals in the API server's or kubectl's words. After each action the
picture, the endpoints table, the reachability matrix and the log are drawn again from the
cluster. A refused action shows its error in the app, never a
traceback, and changes nothing. Testable without a kernel: set `.value`, call `.click()`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import ipywidgets as widgets

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.views.workbench.display import (
    Draw,
    Table,
    default_source,
    draw_topology,
    matrix_html,
    name_of,
    node_choices,
    picture_html,
    pod_choices,
    reachability_matrix,
    source_choices,
    status_html,
    table_endpoints,
    table_html,
    table_shown,
    via_choices,
)
from kubenet_nb.views.workbench.forms import (
    DeployForm,
    ExposeForm,
    NodeForm,
    PodForm,
    TraceForm,
    set_options,
)
from kubenet_nb.views.workbench.log import (
    Entry,
    History,
    Snapshot,
    changes,
    reachable_pairs,
    take_snapshot,
)
from kubenet_nb.views.workbench.policy import PolicyForm

if TYPE_CHECKING:
    from kubenet_nb.network.trace import Trace
    from kubenet_nb.views.workbook import Workbook

__all__ = ["SEND_COUNT", "Workbench"]

SEND_COUNT = 100
"""Connections the "Send 100 requests" button opens."""


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f"<h4>{text}</h4>")


def _view(max_height: str | None = None) -> widgets.HTML:
    """An HTML view, as wide as the app (a box's children stretch across it), that scrolls
    (both ways, its scroll bars on its own edges) when its content is wider, or taller than
    `max_height`: a wide table never widens the app past the notebook's edge."""
    return widgets.HTML(layout=widgets.Layout(max_height=max_height, overflow="auto"))


class Workbench(widgets.VBox):
    """Forms and buttons over a cluster, with its picture, endpoints table and event log.

    `namespace` is where deployments and Services are made and what the picture and table
    show. `draw` and `table` make the picture and the table (the topology and the endpoints
    table unless given). After each action: `picture` (its DOT in `.source`), `table` and
    `matrix` (the DataFrames) are the ones drawn, `history` holds the log, `highlight` the
    trace drawn.

    Laid out so that the picture and the table stay in view after a click: the forms, one
    status block (the command, its manifest folded, what it printed), the picture scaled to
    fit, the table (its brief columns unless `wide` is ticked), the reachability matrix (which
    pod the NetworkPolicies let connect to which, over the namespaces shown by default, on the
    port chosen beside it), the last trace's hops or send's counts, then the log. Trace
    highlights its path in the picture; Send opens many connections to whichever backends
    kube-proxy picks, so it draws no path and clears the last trace's (its counts are below
    the table); any change to the cluster clears it too.
    """

    def __init__(
        self,
        cluster: Workbook,
        namespace: str = "default",
        *,
        draw: Draw = draw_topology,
        table: Table = table_endpoints,
    ) -> None:
        super().__init__()
        self.cluster, self.namespace = cluster, namespace
        self._draw, self._table = draw, table
        self.deploy, self.expose, self.pods = DeployForm(), ExposeForm(), PodForm()
        self.nodes, self.tracer = NodeForm(), TraceForm()
        self.policies = PolicyForm(namespace)
        self.status_view, self.result_view = _view("14em"), _view("40em")
        self.picture_view, self.table_view = _view(), _view("30em")
        self.matrix_view = _view("30em")
        self.log_view = _view("60em")
        self.wide = widgets.Checkbox(value=False, description="every column (wide)", indent=False)
        self.full_size = widgets.Checkbox(
            value=False, description="picture at full size (scrolls)", indent=False
        )
        self.refresh_button = widgets.Button(
            description="Refresh", tooltip="Read the cluster again"
        )
        self.history = History()
        self.highlight: Trace | None = None
        self._syncing = False
        self._source_chosen = False
        self._select: str | None = None
        self._snapshot: Snapshot | None = None
        self._wire()
        tabs = widgets.Tab(
            children=[
                f.box
                for f in (
                    self.deploy,
                    self.expose,
                    self.pods,
                    self.nodes,
                    self.tracer,
                    self.policies,
                )
            ],
            titles=[
                "Deploy",
                "Expose",
                "Scale & pods",
                "Nodes",
                "Trace & traffic",
                "NetworkPolicy",
            ],
        )
        title = widgets.HTML(
            f'<h3 style="display:inline;margin-right:1em">Workbench: namespace '
            f"{html.escape(namespace)}</h3><small>Each button runs what a user would type; "
            "the log shows what the cluster did.</small>"
        )
        self.children = (
            widgets.HBox([title, self.refresh_button]),
            tabs,
            self.status_view,
            self.picture_view,
            widgets.HBox([self.full_size, self.wide]),
            _heading("Endpoints"),
            self.table_view,
            widgets.HBox(
                [
                    _heading("Reachability (NetworkPolicy)"),
                    self.policies.matrix_port,
                    self.policies.matrix_protocol,
                ]
            ),
            self.matrix_view,
            self.result_view,
            _heading("Log, newest first"),
            self.log_view,
        )
        self.refresh()

    def __repr__(self) -> str:
        return f"Workbench(namespace={self.namespace!r})"

    def _wire(self) -> None:
        ns = self.namespace
        self.deploy.create.on_click(lambda _: self._create_deployment())
        self.expose.create.on_click(lambda _: self._create_service())
        self.pods.replicas.observe(self._on_replicas, names="value")
        self.pods.deployment.observe(lambda _: self._sync_slider(), names="value")
        self.pods.fail.on_click(lambda _: self._set_ready(False))
        self.pods.restore.on_click(lambda _: self._set_ready(True))
        self.pods.delete.on_click(lambda _: self._kubectl(self.pods.delete_command(ns)))
        for verb in ("cordon", "uncordon", "drain"):
            button = getattr(self.nodes, verb)
            button.on_click(lambda _, verb=verb: self._kubectl(self.nodes.command(verb)))
        self.tracer.source.observe(self._on_source, names="value")
        self.tracer.trace.on_click(lambda _: self._trace())
        self.tracer.send.on_click(lambda _: self._send_requests())
        self.policies.apply.on_click(lambda _: self._kubectl("apply -f -", self.policies.stdin()))
        self.policies.delete.on_click(lambda _: self._kubectl(self.policies.delete_command()))
        for field in (self.policies.matrix_port, self.policies.matrix_protocol):
            field.observe(lambda _: self._show_matrix(), names="value")
        self.refresh_button.on_click(lambda _: self._act(Entry("(read the cluster again)"), None))
        self.wide.observe(lambda _: self._show_table(), names="value")
        self.full_size.observe(lambda _: self._show_picture(), names="value")

    # -- actions ---------------------------------------------------------------------------

    def _act(
        self, entry: Entry, run: Callable[[], str] | None, changes_cluster: bool = True
    ) -> Entry:
        """Run one action; show its output or its error; draw everything again."""
        try:
            entry.output = run() if run is not None else ""
        except KubenetError as error:
            entry.error = str(error)
        if changes_cluster and run is not None and entry.error is None:
            self.highlight = None
            self.result_view.value = ""
        self.refresh(entry)
        return entry

    def _kubectl(self, line: str, stdin: str | None = None) -> Entry:
        says = f"$ kubectl {line}" + (f" <<EOF\n{stdin}EOF" if stdin is not None else "")
        command = line if stdin is None else f"{line}\n{stdin}"
        return self._act(Entry(says), lambda: self.cluster.kubectl(command))

    def _create_deployment(self) -> None:
        self._select = self.deploy.name.value.strip()
        manifest = self.deploy.manifest(self.namespace)
        if manifest is None:
            self._kubectl(self.deploy.command(self.namespace))
        else:
            self._kubectl("create -f -", manifest)

    def _create_service(self) -> None:
        manifest = self.expose.manifest(
            self._deployment(self.expose.deployment.value), self.namespace
        )
        if self._kubectl("create -f -", self.expose.stdin(manifest)).error is None:
            self.tracer.target.value = self.expose.target(manifest)

    def _on_replicas(self, change: dict) -> None:
        if not self._syncing and self.pods.deployment.value:
            self._kubectl(self.pods.scale_command(self.namespace))

    def _on_source(self, change: dict) -> None:
        if not self._syncing:
            self._source_chosen = True

    def _set_ready(self, ready: bool) -> None:
        pod = self.pods.pod.value or ""
        args = f"{pod!r}, {ready}" + (
            "" if self.namespace == "default" else f", {self.namespace!r}"
        )
        entry = Entry(f">>> c.set_ready({args})")

        def run() -> str:
            self.cluster.set_ready(pod, ready, self.namespace)
            return f"pod {pod}: readiness probe {'passing' if ready else 'failing'}"

        self._act(entry, run)

    def _connection(self) -> tuple[str, str, str]:
        """(sender, target, the call's arguments as Python) for a trace or a send."""
        src, dst, via = self.tracer.sender(), self.tracer.target.value.strip(), self.tracer.entry()
        return src, dst, f"{src!r}, {dst!r}" + (f", via={via!r}" if via else "")

    def _trace(self) -> None:
        src, dst, args = self._connection()

        def run() -> str:
            trace = self.cluster.trace(src, dst, via=self.tracer.entry())
            self.highlight = trace
            self.result_view.value = trace._repr_html_()
            return trace.summary()

        self._act(Entry(f">>> c.trace({args})"), run, changes_cluster=False)

    def _send_requests(self) -> None:
        src, dst, args = self._connection()

        def run() -> str:
            frame = self.cluster.send(src, dst, SEND_COUNT, via=self.tracer.entry())
            self.highlight = None  # many connections, no one path: the last trace's goes
            head = f"{SEND_COUNT} new connections from {src} to {dst}"
            self.result_view.value = f"<p><b>{html.escape(head)}</b></p>{table_html(frame)}"
            delivered = int(frame.loc[frame["verdict"] == "delivered", "count"].sum())
            return f"{delivered} of {SEND_COUNT} delivered"

        self._act(Entry(f">>> c.send({args}, n={SEND_COUNT})"), run, changes_cluster=False)

    # -- drawing ---------------------------------------------------------------------------

    def refresh(self, entry: Entry | None = None) -> None:
        """Read the cluster again: choices, picture, table; log `entry` with what changed."""
        cluster = self.cluster
        self._sync_choices()
        self.picture = self._draw(cluster, self.namespace, self.highlight)
        self._show_picture()
        self.table = self._table(cluster, self.namespace)
        self._show_table()
        self._show_matrix()
        snapshot = take_snapshot(cluster, self.table, self.matrix, self._where())
        if entry is not None and self._snapshot is not None:
            self.history.add(changes(entry, self._snapshot, snapshot), cluster.now)
            self.status_view.value = status_html(entry)
        self.log_view.value = self.history.html()
        self._snapshot = snapshot

    def _show_picture(self) -> None:
        self.picture_view.value = picture_html(self.picture, self.full_size.value)

    def _show_table(self) -> None:
        self.table_view.value = table_html(table_shown(self.table, self.wide.value))

    def _where(self) -> str:
        """The port and protocol the matrix is drawn for, e.g. `80/TCP`."""
        return f"{self.policies.matrix_port.value}/{self.policies.matrix_protocol.value}"

    def _show_matrix(self) -> None:
        """Draw the reachability matrix for the port chosen; the log compares the next action
        with it (another port is only a view: nothing is logged)."""
        port, protocol = self.policies.matrix_port.value, self.policies.matrix_protocol.value
        self.matrix = reachability_matrix(self.cluster, port, protocol)
        self.matrix_view.value = matrix_html(self.matrix, self._where())
        if self._snapshot is not None and self._snapshot.where != self._where():
            self._snapshot = replace(
                self._snapshot, reachable=reachable_pairs(self.matrix), where=self._where()
            )

    def _sync_choices(self) -> None:
        """Offer the deployments, pods and nodes there are now, keeping the selections."""
        cluster, ns = self.cluster, self.namespace
        deployments = [name_of(d) for d in cluster.list("deployments", ns)]
        pods = cluster.list("pods", ns)
        nodes = cluster.list("nodes", None)
        self._syncing = True
        try:
            for dropdown in (self.expose.deployment, self.pods.deployment):
                set_options(dropdown, [(name, name) for name in deployments])
                if self._select in deployments:
                    dropdown.value = self._select
            set_options(self.pods.pod, pod_choices(pods))
            set_options(self.nodes.node, node_choices(nodes))
            set_options(self.tracer.source, source_choices(pods, nodes, ns))
            if not self._source_chosen:
                start = default_source(pods, ns)
                if start is None:
                    self.tracer.source.index = 0
                else:
                    self.tracer.source.value = start
            set_options(self.tracer.via, via_choices(nodes))
            policies = cluster.list("networkpolicies", ns)
            set_options(self.policies.policy, [(name_of(p), name_of(p)) for p in policies])
        finally:
            self._syncing = False
            self._select = None
        self._sync_slider()

    def _sync_slider(self) -> None:
        """Put the slider at the selected deployment's replicas, without scaling anything."""
        if self._syncing:
            return
        deployment = self._deployment(self.pods.deployment.value)
        replicas = int(deployment["spec"].get("replicas", 1)) if deployment else 0
        self._syncing = True
        try:
            slider = self.pods.replicas
            slider.max = max(20, replicas)
            slider.value = replicas
            slider.disabled = deployment is None
        finally:
            self._syncing = False

    def _deployment(self, name: str | None) -> dict | None:
        """The deployment of that name in the namespace, if there is one."""
        found = [d for d in self.cluster.list("deployments", self.namespace) if name_of(d) == name]
        return found[0] if found else None
