"""The strategy of a custom resource, built from its CRD.

k8s.io/apiextensions-apiserver pkg/registry/customresource/strategy.go @ v0.33.1: names are DNS
subdomains, namespaced or not by the CRD's scope, metadata.generation kept (with the status
subresource, spec changes bump it; without, any change outside metadata does), status dropped
on create and kept on update when the status subresource is enabled. Objects are stored at the
storage version (conversion `None` only rewrites apiVersion) and validated against its schema
(pkg/apiserver/validation: kube-openapi's checks).
"""

from __future__ import annotations

from kubenet_nb.api.apiextensions import CustomKind, validate_value
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    name_is_dns_subdomain,
    validate_object_meta,
    validate_object_meta_update,
)
from kubenet_nb.cluster.apiserver import Strategy

__all__ = ["CustomResourceStrategy"]


class CustomResourceStrategy(Strategy):
    """Create and update of one custom resource kind."""

    generation = True

    def __init__(self, custom: CustomKind) -> None:
        self.kind = custom.info.kind
        self.custom = custom
        self.status_subresource = custom.status_enabled(custom.storage)
        self._api_version = f"{custom.info.group}/{custom.storage}"

    def generation_fields(self, obj: dict) -> object:
        if self.status_subresource:
            return obj.get("spec")
        return {k: v for k, v in obj.items() if k != "metadata"}

    def _schema_errors(self, obj: dict) -> list[FieldError]:
        schema = self.custom.schema(self.custom.storage)
        return validate_value(obj, schema) if schema is not None else []

    def prepare_create(self, obj: dict) -> None:
        obj["apiVersion"] = self._api_version
        if self.status_subresource:
            obj.pop("status", None)

    def validate_create(self, obj: dict) -> list[FieldError]:
        namespaced = self.custom.info.namespaced
        errors = validate_object_meta(obj["metadata"], namespaced, name_is_dns_subdomain)
        return errors + self._schema_errors(obj)

    def prepare_update(self, obj: dict, old: dict) -> None:
        obj["apiVersion"] = self._api_version
        if self.status_subresource and "status" not in old:
            obj.pop("status", None)  # the API server put back a stored status, if any

    def validate_update(self, obj: dict, old: dict) -> list[FieldError]:
        errors = validate_object_meta_update(obj["metadata"], old["metadata"])
        return errors + self._schema_errors(obj)
