"""Typed record classes that cost nothing to define: the read path's stand-in for dataclasses.

`dataclasses` writes out each class's methods as source text and compiles it when the module is
imported, and importing it brings `inspect` and Python's parsers along. For the dozen records a
report read from the stored weeks needs, that came to more than everything else such a report
does. A class deriving from Record gets the same constructor (its annotated fields in order,
parents' first; defaults; `field(default_factory=...)`), equality and repr from generic methods
defined once; `frozen=True` makes it immutable and hashable. Type checkers treat it as a
dataclass (PEP 681's dataclass_transform), so every construction is checked field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Self, dataclass_transform

_MISSING: Any = object()


class _Field:
    """What `field()` declares: a default or a factory, and whether equality looks at it."""

    __slots__ = ("compare", "default", "factory")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, compare: bool) -> None:
        self.default = default
        self.factory = factory
        self.compare = compare


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None,
          compare: bool = True) -> Any:
    """A field with a default made fresh for each record, or left out of equality."""
    return _Field(default, default_factory, compare)


@dataclass_transform(field_specifiers=(field,))
class Record:
    """The base of light records: fields from the class's annotations, in declaration order."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _compared: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, _Field]] = {}
    _frozen: ClassVar[bool] = False

    def __init_subclass__(cls, *, frozen: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The class's own annotations (strings, under `from __future__ import annotations`);
        # inspect.get_annotations would import the module this one exists to avoid.
        own = [name for name, kind in vars(cls).get("__annotations__", {}).items()
               if not str(kind).startswith("ClassVar")]
        defaults = dict(cls._defaults)
        compared = list(cls._compared)
        for name in own:
            value = cls.__dict__.get(name, _MISSING)
            spec = value if isinstance(value, _Field) else _Field(value, None, True)
            if spec.default is not _MISSING or spec.factory is not None:
                defaults[name] = spec
            if isinstance(value, _Field):
                delattr(cls, name)
            if spec.compare and name not in compared:
                compared.append(name)
        cls._fields = (*cls._fields, *(n for n in own if n not in cls._fields))
        cls._compared = tuple(compared)
        cls._defaults = defaults
        cls._frozen = frozen or cls._frozen
        if cls._frozen:
            cls.__hash__ = Record._hash  # type: ignore[assignment,method-assign]
            cls.__setattr__ = Record._refuse  # type: ignore[assignment,method-assign]
        else:
            cls.__hash__ = None  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} fields, "
                            f"not {len(args)}")
        values = dict(zip(fields, args, strict=False))
        for name, value in kwargs.items():
            if name not in fields or name in values:
                raise TypeError(f"{type(self).__name__} got an unexpected or repeated "
                                f"field {name!r}")
            values[name] = value
        put = object.__setattr__
        for name in fields:
            if name in values:
                put(self, name, values[name])
                continue
            spec = self._defaults.get(name)
            if spec is None:
                raise TypeError(f"{type(self).__name__} needs the field {name!r}")
            put(self, name, spec.factory() if spec.factory is not None else spec.default)

    def _refuse(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen; {name} cannot change")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._compared)

    def _hash(self) -> int:
        return hash(tuple(getattr(self, n) for n in self._compared))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({inner})"

    def replaced(self, **changes: Any) -> Self:
        """A copy with some fields changed (like dataclasses.replace)."""
        values = {n: getattr(self, n) for n in self._fields}
        values.update(changes)
        return type(self)(**values)
