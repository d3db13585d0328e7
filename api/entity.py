"""Entity specs: each resource's fields written once, its bodies, answers and row values built from them.

An :class:`EntitySpec` lists the fields of one API resource as :class:`Attr` records: the
contract's column name, the request type and its constraints, a description and an example,
the table column it is stored in and how a value goes in and comes out (``08:15`` ⇄ 495).
From the spec :meth:`EntitySpec.models` builds the ``Base`` / ``Create`` / ``Update`` /
``Public`` pydantic models (``pydantic.create_model``), and :meth:`EntitySpec.values`,
:meth:`EntitySpec.answer` and :meth:`EntitySpec.merged` move values between bodies, rows
and answers.  The generic routes (:mod:`dromologio.api.routes.resource`) use nothing else of an entity.

An *extension* field (``Attr.in_extra``: a file's optional extension column, such as a
school's ``zone``) is a named field of the bodies and answers, stored as text in the row's
``extra`` column under its name, as the files and the domain objects keep it.  Sent inside
``extra`` instead, it is taken as the field (and validated as such).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

Model = TypeVar("Model", bound=BaseModel)

#: an attribute without a default: the create body must give it.
REQUIRED: Any = PydanticUndefined


class _NoExample:
    """The absence of an example (None is an example of its own)."""


NO_EXAMPLE: Any = _NoExample()


def same(value: Any) -> Any:
    """A value stored as it is."""
    return value


class Request(BaseModel):
    """A request body: unknown fields are an error (they are usually typos), and so are NaN and infinities."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Response(BaseModel):
    """A response body, read from rows' attributes."""

    model_config = ConfigDict(from_attributes=True)


class EntityBody(Request):
    """A request body built from an entity spec."""

    #: the extension fields: sent in ``extra``, they are taken as the fields.
    extension_names: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _lift_extension_columns(cls, data: Any) -> Any:
        if not cls.extension_names or not isinstance(data, dict) or not isinstance(data.get("extra"), dict):
            return data
        extra = dict(data["extra"])
        lifted = dict(data)
        for name in cls.extension_names:
            if name in extra:
                value = extra.pop(name)
                if lifted.get(name) is None:
                    lifted[name] = None if value is None or not str(value).strip() else value
        lifted["extra"] = extra
        return lifted

    if TYPE_CHECKING:
        # The fields come from the spec at run time; statically they read as Any.
        def __init__(self, **data: Any) -> None: ...

        def __getattr__(self, name: str) -> Any: ...


class EntityAnswer(Response):
    """A response built from an entity spec (aliased fields may be given by name)."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any: ...


@dataclass(frozen=True)
class Attr:
    """One field of an entity, as the API names it and as its table stores it."""

    name: str
    #: the type a request sends (a ``Literal`` for a vocabulary, ``HH:MM`` text for a time ...).
    type: Any
    description: str
    default: Any = REQUIRED
    default_factory: Callable[[], Any] | None = None
    example: Any = NO_EXAMPLE
    #: pydantic constraints: ``min_length``, ``max_length``, ``ge``, ``le``, ``gt``, ``pattern``.
    constraints: Mapping[str, Any] = field(default_factory=dict)
    #: the JSON name when it is not a Python name (``from``).
    alias: str | None = None
    #: the type an answer holds; the request type when None.
    public_type: Any = None
    #: the table column (and domain attribute); the name when empty.
    column: str = ""
    to_column: Callable[[Any], Any] = same
    from_column: Callable[[Any], Any] = same
    #: a column's value as the domain object takes it (a set of skills ...), and back.
    to_domain: Callable[[Any], Any] = same
    from_domain: Callable[[Any], Any] = same
    #: the id: last in the create body, first in the answer.
    key: bool = False
    in_create: bool = True
    in_update: bool = True
    in_public: bool = True
    #: a field of the domain object (``dromologio.models``), not the service's own.
    in_domain: bool = True
    #: an extension column kept in the row's ``extra`` under its name (``to_column`` makes its
    #: text, ``from_column`` reads it); the domain object finds it in its own ``extra``.
    in_extra: bool = False

    @property
    def col(self) -> str:
        return self.column or self.name

    @property
    def json_name(self) -> str:
        return self.alias or self.name

    def request_field(self, *, optional: bool) -> tuple[Any, FieldInfo]:
        """The field in a create body, or (``optional``) in a PATCH body: null or absent, no change."""
        options: dict[str, Any] = {"alias": self.alias, "description": self.description, **self.constraints}
        if optional:
            return self.type | None, Field(default=None, **options)
        if self.example is not NO_EXAMPLE:
            options["examples"] = [self.example]
        if self.default_factory is not None:
            return self.type, Field(default_factory=self.default_factory, **options)
        return self.type, Field(default=self.default, **options)

    def public_field(self) -> tuple[Any, FieldInfo]:
        options: dict[str, Any] = {"alias": self.alias, "description": self.description}
        if self.example is not NO_EXAMPLE:
            options["examples"] = [self.example]
        return (self.type if self.public_type is None else self.public_type), Field(**options)


class EntityModels(NamedTuple):
    """The pydantic models of one entity."""

    base: type[EntityBody]
    create: type[EntityBody]
    update: type[EntityBody]
    public: type[EntityAnswer]


@dataclass(frozen=True)
class EntitySpec:
    """One resource's fields, in the order the answer lists them."""

    #: the model names' stem (``School`` → ``SchoolCreate`` ...).
    title: str
    attrs: tuple[Attr, ...]
    #: builds the domain object (``dromologio.models``) from its columns, when there is one.
    domain: Callable[..., Any] | None = None

    @property
    def key(self) -> Attr | None:
        return next((a for a in self.attrs if a.key), None)

    @property
    def create_attrs(self) -> tuple[Attr, ...]:
        """The create body's fields: the id last."""
        fields = tuple(a for a in self.attrs if a.in_create)
        return tuple(a for a in fields if not a.key) + tuple(a for a in fields if a.key)

    def models(self) -> EntityModels:
        """``<Title>Base`` (no id), ``<Title>Create``, ``<Title>Update`` (every field optional), ``<Title>Public``."""
        create = self.create_attrs
        base = _model(
            f"{self.title}Base",
            EntityBody,
            {a.name: a.request_field(optional=False) for a in create if not a.key},
        )
        made = _model(
            f"{self.title}Create", base, {a.name: a.request_field(optional=False) for a in create if a.key}
        )
        changes = {a.name: a.request_field(optional=True) for a in self.attrs if a.in_update}
        public = _model(
            f"{self.title}Public", EntityAnswer, {a.name: a.public_field() for a in self.attrs if a.in_public}
        )
        change = _model(f"{self.title}Update", EntityBody, changes)
        names = tuple(a.name for a in self.attrs if a.in_extra)
        for model in (base, made, change):
            model.extension_names = names
        return EntityModels(base, made, change, public)

    # --- values between bodies, rows, domain objects and answers ---------------------------

    def values(self, body: BaseModel) -> dict[str, Any]:
        """A create body's row columns (the id included); extension fields go into ``extra``."""
        data = body.model_dump()
        values = {a.col: a.to_column(data[a.name]) for a in self.create_attrs if not a.in_extra}
        extensions = {
            a.name: a.to_column(data[a.name])
            for a in self.create_attrs
            if a.in_extra and data[a.name] is not None
        }
        if extensions:
            values["extra"] = {**(values.get("extra") or {}), **extensions}
        return values

    def split_extra(self, row: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The extension fields of a row, and the rest of its ``extra``.

        A stored text that does not read as its field stays in ``extra`` (shown, never dropped).
        """
        stored = dict(getattr(row, "extra", None) or {})
        named: dict[str, Any] = {}
        for attr in (a for a in self.attrs if a.in_extra):
            text = stored.get(attr.name)
            if text is None or not str(text).strip():
                stored.pop(attr.name, None)
                named[attr.name] = None
                continue
            try:
                named[attr.name] = attr.from_column(text)
            except ValueError:
                named[attr.name] = None
                continue
            del stored[attr.name]
        return named, stored

    def from_row(self, row: Any) -> Any:
        """The domain object of a row (or of a mapping of its columns)."""
        if self.domain is None:
            raise TypeError(f"{self.title} has no domain object")
        get = row.get if isinstance(row, Mapping) else lambda name: getattr(row, name)
        return self.domain(
            **{a.col: a.to_domain(get(a.col)) for a in self.attrs if a.in_domain and a.in_create}
        )

    def domain_values(self, item: Any) -> dict[str, Any]:
        """The row columns of a domain object (its id left out, fields the domain lacks too)."""
        attrs = (a for a in self.attrs if a.in_domain and a.in_create and not a.key)
        return {a.col: a.from_domain(getattr(item, a.col)) for a in attrs}

    def answer(self, row: Any, public: type[EntityAnswer], **given: Any) -> EntityAnswer:
        """A row as the resource's answer; ``given`` fields as they are."""
        values = {
            a.name: a.from_column(getattr(row, a.col)) for a in self.attrs if a.in_public and not a.in_extra
        }
        if any(a.in_extra for a in self.attrs):
            named, rest = self.split_extra(row)
            values.update(named)
            values["extra"] = rest
        return public.model_validate({**values, **given})

    def merged(self, row: Any, change: BaseModel, *, replace_nulls: bool = True) -> dict[str, Any]:
        """A row with a PATCH body's fields replaced, by JSON names (for the create body to validate).

        A null in the PATCH body replaces the value when ``replace_nulls``, else keeps it.
        """
        fields = {a.name: a for a in self.create_attrs}
        data = {a.json_name: a.from_column(getattr(row, a.col)) for a in fields.values() if not a.in_extra}
        if any(a.in_extra for a in fields.values()):
            named, rest = self.split_extra(row)
            # A stored text that does not read as its field is judged as the field (422 naming it).
            data.update({**named, "extra": rest})
        for name, value in change.model_dump(exclude_unset=True).items():
            if name in fields and (value is not None or replace_nulls):
                data[fields[name].json_name] = value
        return data


def _model(name: str, base: type[Model], fields: Mapping[str, tuple[Any, FieldInfo]]) -> type[Model]:
    """A pydantic model ``name`` with ``fields`` on ``base``."""
    model: type[Model] = create_model(name, __base__=base, **fields)  # type: ignore[call-overload]
    return model
