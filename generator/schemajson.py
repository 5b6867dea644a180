"""The JSON Schema (draft 7) of a schema's files, made from the settings' declarations, so that
editors complete and check ``press-archive.yml`` (``press-archive schema``)."""

from __future__ import annotations

import dataclasses
import types
import typing

from .schema import Scalar, default_of, fields_of, required_of


def json_schema(schema: type, title: str) -> dict:
    """The JSON Schema (draft 7) of a schema's files: types, defaults, descriptions, checks."""
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": title, **_json_type(schema)}


def _json_type(hint) -> dict:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        result = _json_type(args[0])
        for check_ in hint.__metadata__:
            result.update(check_.json)
        return result
    if dataclasses.is_dataclass(hint):
        properties = {name: _json_property(h, f) for name, (h, f) in fields_of(hint).items()}
        result = {"type": "object"}
        if hint.__doc__ and not hint.__doc__.startswith(hint.__name__ + "("):
            result["description"] = " ".join(hint.__doc__.split("\n\n")[0].split())
        required = list(required_of(hint))
        result |= {"properties": properties, "additionalProperties": False}
        return result | ({"required": required} if required else {})
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_json_type(a) for a in args]}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (tuple, list):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return {"type": "array", "items": [_json_type(a) for a in args], "minItems": len(args), "maxItems": len(args)}
        items = _json_type(args[0])
        many = {"type": "array", "items": items}
        return {"anyOf": [many, items]} if origin is tuple else many
    if origin is dict:
        return {"type": "object", "additionalProperties": _json_type(args[1]), "propertyNames": _json_type(args[0])}
    if hint is Scalar:
        return {"type": ["string", "number", "boolean"]}
    return {"type": {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}.get(hint, "string")}


def _json_property(hint, f: dataclasses.Field) -> dict:
    result = _json_type(hint)
    if f.metadata.get("doc"):  # the setting's own description, before its type's
        result = {"description": f.metadata["doc"], **{k: v for k, v in result.items() if k != "description"}}
    for check_ in f.metadata.get("checks", ()):
        result |= check_.json
    default = default_of(f)
    if default is not dataclasses.MISSING and not dataclasses.is_dataclass(default):
        result["default"] = _jsonable(default)
    if f.metadata.get("examples"):
        result["examples"] = list(f.metadata["examples"])
    return result


def _jsonable(value):
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
