"""The CRD controllers: names accepted, the CRD established, its instances deleted with it.

k8s.io/apiextensions-apiserver @ v0.33.1: pkg/controller/status/naming_controller.go (each name
of spec.names is accepted unless another CRD of the group has it: NamesAccepted True
`NoConflicts`, else False with `PluralConflict`, `KindConflict`, ... and `"x" is already in
use`; a deletion frees the names, so the group's other CRDs are looked at again),
pkg/controller/establish/establishing_controller.go (Established True `InitialNamesAccepted`)
and pkg/controller/finalizer/crd_finalizer.go (the custom resources go before the CRD does:
here, right after it). One departure: objects are stored by kind here, so a kind a built-in
resource or another group's CRD already serves is refused as a KindConflict too.
"""

from __future__ import annotations

from kubenet_nb.api.kinds import ResourceTable
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import Clock
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.store import Store, WatchEvent, clone

__all__ = ["CRDController"]

CRD = "CustomResourceDefinition"
Condition = dict[str, str]


def _conditions(crd: dict) -> list[Condition]:
    return list((crd.get("status") or {}).get("conditions") or [])


def _find(conditions: list[Condition], kind: str) -> Condition | None:
    return next((c for c in conditions if c.get("type") == kind), None)


def _set(conditions: list[Condition], new: Condition, now: str) -> list[Condition]:
    """SetCRDCondition: a new condition is appended; an existing one keeps its transition time
    unless its status changes."""
    old = _find(conditions, new["type"])
    if old is None:
        return [*conditions, {"lastTransitionTime": now, **new}]
    stamp = old["lastTransitionTime"] if old.get("status") == new["status"] else now
    updated = {"lastTransitionTime": stamp, **new}
    return [updated if c is old else c for c in conditions]


def _condition(kind: str, status: str, reason: str, message: str) -> Condition:
    return {"message": message, "reason": reason, "status": status, "type": kind}


def _in_use(requested: object, accepted: object, used: set[str]) -> str | None:
    """equalToAcceptedOrFresh: the error text when a newly requested name is taken."""
    if requested == accepted or requested not in used:
        return None
    return f'"{requested}" is already in use'


class CRDController(Controller):
    """Keys: ("crd", name) to name and establish; ("instances", "Kind.group") to clean up."""

    name = "crd-controller"

    def __init__(self, store: Store, api: ApiServer, clock: Clock) -> None:
        super().__init__()
        self.store, self.api, self.clock = store, api, clock

    @property
    def resources(self) -> ResourceTable:
        return self.store.resources

    def handle(self, event: WatchEvent) -> None:
        if event.replay or event.kind != CRD:
            return
        crd = event.subject
        if event.obj is not None:
            self.enqueue("crd", crd["metadata"]["name"])
            return
        accepted = (crd.get("status") or {}).get("acceptedNames") or {}
        if accepted.get("kind"):
            self.enqueue("instances", f"{accepted['kind']}.{crd['spec']['group']}")
        self._requeue_group(crd["spec"]["group"])

    def _requeue_group(self, group: str) -> None:
        for other in self.store.list(CRD):
            if other["spec"].get("group") == group:
                self.enqueue("crd", other["metadata"]["name"])

    def reconcile(self, what: str, name: str) -> None:
        if what == "instances":
            self._delete_instances(*name.split(".", 1))
            return
        crd = self.store.get(CRD, "", name)
        if crd is None:
            return
        if crd["spec"]["names"] != (crd.get("status") or {}).get("acceptedNames"):
            crd = self._name(crd)
        self._establish(crd)

    def _used(self, group: str) -> tuple[set[str], set[str]]:
        """getAcceptedNamesForGroup: the resource names and kinds the group's CRDs hold; plus
        (this engine's store is keyed by kind) the kinds served from elsewhere."""
        resources: set[str] = set()
        kinds: set[str] = set()
        for crd in self.store.list(CRD):
            names = (crd.get("status") or {}).get("acceptedNames") or {}
            if crd["spec"].get("group") == group:
                held = (
                    names.get("plural"),
                    names.get("singular"),
                    *(names.get("shortNames") or ()),
                )
                resources.update(str(name) for name in held if name)
                kinds.update(str(names[key]) for key in ("kind", "listKind") if names.get(key))
            elif names.get("kind"):
                kinds.add(names["kind"])
        kinds.update(info.kind for info in self.resources.resources if info.group != group)
        return resources, kinds

    def _name(self, crd: dict) -> dict:
        """The naming controller's sync: accepted names and the NamesAccepted condition."""
        spec_names = crd["spec"]["names"]
        status = crd.get("status") or {}
        accepted = dict(status.get("acceptedNames") or {})
        resources, kinds = self._used(crd["spec"]["group"])
        new = dict(accepted)
        problem: tuple[str, str] | None = None
        for key, used, reason in (
            ("plural", resources, "PluralConflict"),
            ("singular", resources, "SingularConflict"),
        ):
            error = _in_use(spec_names.get(key), accepted.get(key), used)
            if error:
                problem = (reason, error)
            else:
                new[key] = spec_names.get(key)
        shorts = spec_names.get("shortNames") or []
        if shorts != (accepted.get("shortNames") or []):
            mine = set(accepted.get("shortNames") or [])
            errors = [
                e for s in shorts if s not in mine and (e := _in_use(s, "", resources)) is not None
            ]
            if errors:
                text = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
                problem = ("ShortNamesConflict", text)
            else:
                new["shortNames"] = shorts
        for key, reason in (("kind", "KindConflict"), ("listKind", "ListKindConflict")):
            error = _in_use(spec_names.get(key), accepted.get(key), kinds)
            if error:
                problem = (reason, error)
            else:
                new[key] = spec_names.get(key)
        if spec_names.get("categories"):
            new["categories"] = spec_names["categories"]
        new = {k: v for k, v in new.items() if v not in (None, [], "")}
        new.setdefault("kind", "")
        new.setdefault("plural", "")
        if problem is None:
            naming = _condition("NamesAccepted", "True", "NoConflicts", "no conflicts found")
        else:
            naming = _condition("NamesAccepted", "False", *problem)
        conditions = _conditions(crd)
        established = _find(conditions, "Established") or _condition(
            "Established", "False", "NotAccepted", "not all names are accepted"
        )
        if established.get("status") != "True" and naming["status"] == "True":
            established = _condition(
                "Established", "False", "Installing", "the initial names have been accepted"
            )
        previous = _find(conditions, "NamesAccepted")
        if new == accepted and previous is not None and _strip(previous) == naming:
            return crd
        now = self.clock.timestamp()
        conditions = _set(conditions, naming, now)
        conditions = _set(conditions, _strip(established), now)
        updated = self.api.set_status(
            crd, {**clone(status), "acceptedNames": new, "conditions": conditions}
        )
        self._requeue_group(crd["spec"]["group"])
        return updated

    def _establish(self, crd: dict) -> None:
        """The establishing controller's sync: Established once the names are accepted."""
        conditions = _conditions(crd)
        names = _find(conditions, "NamesAccepted")
        established = _find(conditions, "Established")
        if (names or {}).get("status") != "True" or (established or {}).get("status") == "True":
            return
        condition = _condition(
            "Established", "True", "InitialNamesAccepted", "the initial names have been accepted"
        )
        status = {
            **crd["status"],
            "conditions": _set(conditions, condition, self.clock.timestamp()),
        }
        self.api.set_status(crd, status)

    def _delete_instances(self, kind: str, group: str) -> None:
        """The finalizer's work: every custom resource the deleted CRD served goes too."""
        if self.resources.is_custom(kind):
            return
        for obj in self.store.list(kind):
            if obj.get("apiVersion", "").rsplit("/", 1)[0] == group:
                meta = obj["metadata"]
                self.api.remove(kind, meta.get("namespace", ""), meta["name"])


def _strip(condition: Condition) -> Condition:
    """A condition without its transition time (SetCRDCondition sets it)."""
    return {k: v for k, v in condition.items() if k != "lastTransitionTime"}
