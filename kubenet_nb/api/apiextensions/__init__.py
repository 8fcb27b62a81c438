"""apiextensions.k8s.io: CustomResourceDefinitions and the custom resources they define.

`crd`: a CRD's defaults and validation; `structural`: the schema rules, pruning and defaulting;
`openapi_validation`: a custom resource checked against its schema; `definition`: what an
established CRD serves; `decode`: a custom resource's request body decoded.
"""

from __future__ import annotations

from kubenet_nb.api.apiextensions.decode import decode_custom, request_version
from kubenet_nb.api.apiextensions.definition import CustomKind, custom_kind, is_established
from kubenet_nb.api.apiextensions.openapi_validation import validate_value

__all__ = [
    "CustomKind",
    "custom_kind",
    "decode_custom",
    "is_established",
    "request_version",
    "validate_value",
]
