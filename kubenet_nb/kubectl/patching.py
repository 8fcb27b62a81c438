"""A PATCH request as the API server handles it, for the verbs that send one (`patch`, `set`,
`edit`, `label --resource-version`).

As k8s.io/apiserver pkg/endpoints/handlers/patch.go @ v1.33: the content type must be one the
resource accepts (custom resources take no strategic merge patch: 415), the body must be JSON
(`invalid JSON patch`), the patch is applied to the current object (strategic merge with the
kind's patch metadata, RFC 7386 merge, RFC 6902 JSON patch), a `metadata.resourceVersion` the
patch carries is a precondition (409), and the result is an update of the object, decoded with
the request's fieldValidation (Warn when kubectl sends none, as for `patch` and `set`: unknown
fields come back as warnings). A patch that changes nothing writes nothing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kubenet_nb.api.apiextensions import decode_custom
from kubenet_nb.api.decode import decode
from kubenet_nb.api.errors import BadRequest, Conflict, StatusError
from kubenet_nb.api.patch import apply_strategic_patch, kind_schema
from kubenet_nb.api.patch.json_patch import (
    JSONPatchFailed,
    apply_json_patch,
    apply_merge_patch,
    go_json_type,
)
from kubenet_nb.cluster.apply import go_json
from kubenet_nb.kubectl.command import Terminal, print_object, printing
from kubenet_nb.kubectl.flags import ParsedFlags
from kubenet_nb.kubectl.printers import to_json

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = [
    "MEDIA_TYPES",
    "PatchRejected",
    "UnsupportedMediaType",
    "conflict",
    "patch_object",
    "patched",
    "printing_json",
    "show",
]

MEDIA_TYPES = {
    "json": "application/json-patch+json",
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
}
"""kubectl's --type names and the Content-Type each is sent as (patch.go patchTypes)."""

_CUSTOM_MEDIA_TYPES = (
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/apply-patch+yaml",
)


class UnsupportedMediaType(StatusError):
    """HTTP 415: negotiation.NewUnsupportedMediaTypeError for a patch type the resource lacks."""

    code, reason = 415, "UnsupportedMediaType"

    def __init__(self, accepted: tuple[str, ...]) -> None:
        super().__init__(
            "the body of the request was in an unknown format - accepted media types include: "
            + ", ".join(accepted)
        )


class PatchRejected(StatusError):
    """A 422 with reason Invalid and no kind or name in its details, which kubectl's CheckErr
    prints as `The request is invalid: ...`: NewGenericServerResponse's for a JSON patch
    operation that fails, or the patch field's error for a result that is not an object."""

    code, reason = 422, "Invalid"

    def __init__(
        self, message: str = "the server rejected our request due to an error in our request"
    ) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return f"The request is invalid: {self.message}"


def conflict(resource: str, name: str) -> Conflict:
    """apierrors.NewConflict for a stale resourceVersion (OptimisticLockErrorMsg)."""
    return Conflict(
        f'Operation cannot be fulfilled on {resource} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


def _go_json_value(text: str) -> Any:
    """json.Valid and json.Unmarshal: strict JSON (no NaN or Infinity)."""

    def refuse(constant: str) -> Any:
        raise ValueError(constant)

    return json.loads(text, parse_constant=refuse)


def _as_map(patch: Any, prefix: str) -> dict:
    if patch is None:
        return {}
    if not isinstance(patch, dict):
        raise BadRequest(
            f"{prefix}json: cannot unmarshal {go_json_type(patch)} into Go value of type "
            "map[string]interface {}"
        )
    return patch


def patched(cluster: ControlPlane, live: dict, patch_type: str, body: str) -> dict:
    """The object after the server applies a patch of `patch_type` ("json", "merge" or
    "strategic") to `live`; the server's refusals are raised, nothing is written."""
    custom = cluster.custom(live["kind"]) is not None
    if custom and patch_type == "strategic":
        raise UnsupportedMediaType(_CUSTOM_MEDIA_TYPES)
    try:
        patch = _go_json_value(body)
    except ValueError:
        raise BadRequest("invalid JSON patch") from None
    if patch_type == "json":
        try:
            result = apply_json_patch(live, patch)
        except JSONPatchFailed:
            raise PatchRejected() from None
        if not isinstance(result, dict):
            version = str(live.get("apiVersion") or "").rpartition("/")[2]
            raise PatchRejected(
                f'patch: Invalid value: "{go_json(result)}": json: cannot unmarshal '
                f"{go_json_type(result)} into Go value of type {version}.{live['kind']}"
            )
        return result
    if patch_type == "merge":
        return apply_merge_patch(live, _as_map(patch, "error decoding patch: "))
    return apply_strategic_patch(live, _as_map(patch, ""), kind_schema(live["kind"]))


def _precondition(cluster: ControlPlane, live: dict, result: dict) -> None:
    """A resourceVersion the patched object carries must be the live one (409 otherwise)."""
    wanted = (result.get("metadata") or {}).get("resourceVersion")
    meta = live["metadata"]
    if wanted and wanted != meta.get("resourceVersion"):
        info = cluster.resources.resolve(live["kind"])
        raise conflict(info.qualified_plural, meta["name"])


def patch_object(
    cluster: ControlPlane, live: dict, patch_type: str, body: str, field_validation: str = "Warn"
) -> tuple[dict, bool]:
    """PATCH one object: (the object as the server returns it, whether it changed).

    `field_validation` is the request's; a request without one (patch, set) means Warn.
    """
    result = patched(cluster, live, patch_type, body)
    _precondition(cluster, live, result)
    result.setdefault("metadata", {})["resourceVersion"] = live["metadata"].get("resourceVersion")
    decoded, warnings = _decoded(cluster, result, field_validation)
    if decoded == _decoded(cluster, live, "Ignore")[0]:
        cluster.last_warnings = warnings
        return live, False
    stored = cluster.update(result, field_validation=field_validation)
    return stored, True


def _decoded(cluster: ControlPlane, obj: dict, field_validation: str) -> tuple[dict, list[str]]:
    """An object as the server decodes it (unknown fields dropped, with a warning each): the
    patched object is compared with the stored one so before anything is written."""
    custom = cluster.custom(obj["kind"])
    if custom is not None:
        decoded = decode_custom(obj, custom, field_validation)
    else:
        decoded = decode(obj, field_validation)
    return decoded.obj, decoded.warnings


def printing_json(parsed: ParsedFlags) -> tuple[str, bool]:
    """`printing` (the -o format and --dry-run=client) with `-o json` allowed too."""
    if parsed.values.get("output") != "json":
        return printing(parsed)
    values = {**parsed.values, "output": ""}
    return "json", printing(ParsedFlags(values, parsed.args, parsed.changed))[1]


def show(terminal: Terminal, obj: dict, operation: str, output: str, dry_run: bool) -> None:
    """The name printer (`deployment.apps/web patched`), `-o name`, `-o yaml` or `-o json`."""
    if output == "json":
        terminal.parts.append(("out", to_json(obj)))
    else:
        print_object(terminal, obj, operation, output, dry_run)
