"""The request path of the simulated API server: names, metadata, defaulting, validation, storage.

Each kind has a `Strategy` (as upstream's registry strategies): defaulting and validation from
`kubenet_nb.api`, plus side effects such as IP and port allocation. Controllers write through the
same `ApiServer`, with `trusted=True` to skip validation of objects they built themselves.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kubenet_nb.api.errors import AlreadyExists, FieldError, Forbidden, Invalid, NotFound
from kubenet_nb.cluster.clock import Clock, format_time
from kubenet_nb.cluster.events import EventLog
from kubenet_nb.cluster.randomness import Randomness
from kubenet_nb.cluster.store import Store, clone

__all__ = ["MAX_NAME_GENERATION_CREATE_ATTEMPTS", "ApiServer", "GenerateNameConflict", "Strategy"]


MAX_NAME_GENERATION_CREATE_ATTEMPTS = 8
"""k8s.io/apiserver pkg/registry/generic/registry/store.go @ v1.33.0,
maxNameGenerationCreateAttempts: with the RetryGenerateName feature (on by default since v1.31),
a create whose generated name is taken is tried again with a new name, 8 attempts in all."""


class GenerateNameConflict(AlreadyExists):
    """errors.NewGenerateNameConflict (apimachinery pkg/api/errors/errors.go), which
    rest.CheckGeneratedNameError returns when the server's last generated name was taken too."""

    def __init__(self, resource: str, name: str, group: str = "") -> None:
        super().__init__(resource, name, group)
        self.message += ", the server was not able to generate a unique name for the object"
        self.args = (self.message,)


def _generation_fields(obj: dict) -> object:
    """What a generation counts changes of: the spec, or for specless kinds all but metadata."""
    if "spec" in obj or obj["kind"] != "EndpointSlice":
        return obj.get("spec")
    return {k: v for k, v in obj.items() if k not in ("metadata", "status")}


class Strategy:
    """Per-kind behaviour of create, update and delete; the default does nothing special."""

    kind = ""
    generation = False
    """The strategy keeps metadata.generation (1 on create, +1 when the spec changes)."""
    status_subresource = True
    """A client's update keeps the stored status (status has its own endpoint)."""

    def generation_fields(self, obj: dict) -> object:
        """What a change of bumps metadata.generation."""
        return _generation_fields(obj)

    def prepare_create(self, obj: dict) -> None:
        """Default the object and reset what a client may not set (status)."""

    def validate_create(self, obj: dict) -> list[FieldError]:
        return []

    def allocate(self, obj: dict) -> None:
        """Side effects after validation (IPs, ports); raise Invalid to refuse, undo via store."""

    def prepare_update(self, obj: dict, old: dict) -> None:
        """Default the new object and carry over what the client may not change."""

    def validate_update(self, obj: dict, old: dict) -> list[FieldError]:
        return []

    def reallocate(self, obj: dict, old: dict) -> None:
        """Side effects of an update (a type change allocating or releasing ports)."""

    def release(self, obj: dict) -> None:
        """Give back what the object held, when it leaves the store."""

    def warnings(self, obj: dict) -> list[str]:
        """Warnings the API server returns with a successful write (kubectl prints them)."""
        return []


class ApiServer:
    """Create, update and delete with the API server's checks, on one Store."""

    def __init__(self, store: Store, clock: Clock, randomness: Randomness) -> None:
        self.events = EventLog(store.on_undo)
        self.store = store
        self.clock = clock
        self.random = randomness
        self.strategies: dict[str, Strategy] = {}
        self.last_warnings: list[str] = []

    def register(self, strategy: Strategy) -> None:
        self.strategies[strategy.kind] = strategy

    def unregister(self, kind: str) -> None:
        """Stop serving a kind's writes with its own strategy (a custom resource's CRD left)."""
        self.strategies.pop(kind, None)

    def strategy(self, kind: str) -> Strategy:
        return self.strategies.get(kind) or Strategy()

    def create(self, obj: dict, *, trusted: bool = False, copied: bool = False) -> dict:
        """POST: a new object from a client's dict (copied, never kept; `copied`: the dict is
        already a private copy, such as a decoded request body, and is kept as it is)."""
        if not copied:
            obj = clone(obj)
        info = self.store.resources.by_kind(obj["kind"])
        obj.setdefault("apiVersion", info.api_version)
        meta = obj.setdefault("metadata", {})
        if info.namespaced:
            meta["namespace"] = meta.get("namespace") or "default"
            self._require_namespace(meta["namespace"])
        else:
            meta.pop("namespace", None)
        generated = False
        if not meta.get("name"):
            if meta.get("generateName"):
                meta["name"] = self._generate_name(info.kind, meta)
                generated = True
            else:
                raise Invalid(
                    info.kind,
                    "",
                    [FieldError.required("metadata.name", "name or generateName is required")],
                    info.group,
                )
        # rest.FillObjectMetaSystemFields runs in the create handler before the strategy's
        # PrepareForCreate (k8s.io/apiserver pkg/endpoints/handlers/create.go @ v0.33.0): the
        # Job strategy builds its selector from the uid.
        meta["uid"] = self.random.uid()
        meta["creationTimestamp"] = self.clock.timestamp()
        strategy = self.strategy(info.kind)
        strategy.prepare_create(obj)
        if not trusted:
            errors = strategy.validate_create(obj)
            if errors:
                raise Invalid(info.kind, meta["name"], errors, info.group)
        existing = self.store.get(info.kind, meta.get("namespace", ""), meta["name"])
        if existing is not None:
            if generated:
                raise GenerateNameConflict(info.plural, meta["name"], info.group)
            raise AlreadyExists(info.plural, meta["name"], info.group)
        self.last_warnings = [] if trusted else strategy.warnings(obj)
        if strategy.generation:
            meta["generation"] = 1
        strategy.allocate(obj)
        return self.store.create(obj)

    def _generate_name(self, kind: str, meta: dict) -> str:
        """A name from generateName, drawn again while it is taken, up to the attempts upstream
        makes (createWithGenerateNameRetry); the last one is returned even if taken.

        Upstream retries the whole create on AlreadyExists; the name is the only thing that
        differs between attempts and validation comes first either way, so drawing the names
        up front and checking them against the store gives the same outcomes.
        """
        namespace = meta.get("namespace", "")
        name = ""
        for _ in range(MAX_NAME_GENERATION_CREATE_ATTEMPTS):
            name = self.random.generate_name(meta["generateName"])
            if self.store.get(kind, namespace, name) is None:
                break
        return name

    def update(self, obj: dict, *, trusted: bool = False, copied: bool = False) -> dict:
        """PUT: replace an object; the new dict must not be the stored one.

        A client's PUT keeps the stored status (status is written through its subresource);
        controllers (`trusted`) write both. The dict is copied first unless it is trusted or
        `copied` (already a private copy, such as a decoded request body).
        """
        obj = obj if trusted or copied else clone(obj)
        info = self.store.resources.by_kind(obj["kind"])
        meta = obj.setdefault("metadata", {})
        namespace = meta.get("namespace", "") if info.namespaced else ""
        old = self.store.require(info.kind, namespace, meta.get("name", ""))
        for field in (
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generateName",
        ):
            if field in old["metadata"] and field not in meta:
                meta[field] = old["metadata"][field]
        if info.namespaced:
            meta["namespace"] = namespace
        strategy = self.strategy(info.kind)
        if not trusted and "status" in old and strategy.status_subresource:
            obj["status"] = old["status"]
        strategy.prepare_update(obj, old)
        if not trusted:
            errors = strategy.validate_update(obj, old)
            if errors:
                raise Invalid(info.kind, meta["name"], errors, info.group)
            self.last_warnings = strategy.warnings(obj)
        if "generation" in old["metadata"]:
            changed = strategy.generation_fields(obj) != strategy.generation_fields(old)
            meta["generation"] = old["metadata"]["generation"] + (1 if changed else 0)
        strategy.reallocate(obj, old)
        return self.store.update(obj)

    def delete(self, kind: str, namespace: str, name: str, grace_period: int | None = None) -> dict:
        """DELETE: pods on a node and namespaces pass through a terminating state first."""
        obj = self.store.require(kind, namespace, name)
        if kind == "Pod":
            return self._delete_pod(obj, grace_period)
        if kind == "Namespace":
            return self._delete_namespace(obj)
        return self.remove(kind, namespace, name)

    def _delete_pod(self, pod: dict, grace_period: int | None) -> dict:
        meta = pod["metadata"]
        grace = grace_period
        if grace is None:
            grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
        if (
            not pod["spec"].get("nodeName")
            or grace <= 0
            or pod.get("status", {}).get("phase") in ("Succeeded", "Failed")
        ):
            return self.remove("Pod", meta["namespace"], meta["name"])
        if meta.get("deletionTimestamp"):
            return pod
        new = dict(pod)
        new["metadata"] = {
            **meta,
            "deletionTimestamp": format_time(self.clock.now + timedelta(seconds=grace)),
            "deletionGracePeriodSeconds": grace,
        }
        return self.store.update(new)

    def _delete_namespace(self, namespace: dict) -> dict:
        if namespace["metadata"].get("deletionTimestamp"):
            return namespace
        new = dict(namespace)
        new["metadata"] = {**namespace["metadata"], "deletionTimestamp": self.clock.timestamp()}
        new["status"] = {**namespace.get("status", {}), "phase": "Terminating"}
        return self.store.update(new)

    def remove(self, kind: str, namespace: str, name: str) -> dict:
        """Take an object out of the store for good and release what it held."""
        old = self.store.delete(kind, namespace, name)
        self.strategy(kind).release(old)
        return old

    def _require_namespace(self, namespace: str) -> None:
        ns = self.store.get("Namespace", "", namespace)
        if ns is None:
            raise NotFound("namespaces", namespace)
        if ns["metadata"].get("deletionTimestamp"):
            raise Forbidden(
                f"unable to create new content in namespace {namespace} because it "
                "is being terminated"
            )

    def set_status(self, obj: dict, status: dict[str, Any]) -> dict:
        """The /status subresource: a new object with a new status, spec untouched."""
        new = dict(obj)
        new["metadata"] = dict(obj["metadata"])
        new["status"] = status
        return self.store.update(new)

    def record_event(self, obj: dict, type_: str, reason: str, source: str, message: str) -> None:
        """Report an event about an object, as a component's event recorder does."""
        self.events.record(obj, type_, reason, source, message, self.clock.timestamp())
