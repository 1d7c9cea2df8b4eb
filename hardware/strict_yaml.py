"""Strict YAML loading: every mapping remembers the line and column of each key, and a small schema
checker refuses unknown keys, wrong types and missing fields with file, line and key.

Every message names its place one way, ``file:line:column: message`` (1-based, as editors and
compilers print it), whether YAML itself refuses the text or the schema refuses a value.

Used for rig files here and for protocol files by the experiment, so that a typo is caught
before a participant sits down.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hardware.errors import HardwareError


class ConfigError(HardwareError):
    """Raised when a configuration file is wrong; each message line reads ``file:line:column: message``."""


class Line(int):
    """A 1-based line number that also carries its 1-based column (0: not known), so every caller
    that passes a line to ``Checker.fail`` gets ``line:column`` without knowing about columns."""

    column: int

    def __new__(cls, line: int, column: int = 0) -> Line:
        obj = super().__new__(cls, line)
        obj.column = column
        return obj


def place(path: str | Path, line: int = 1) -> str:
    """``file:line:column`` of a line (a Line keeps its column; a plain number points at column 1)."""
    return f"{path}:{max(int(line), 1)}:{max(getattr(line, 'column', 0), 1)}"


def _mark_line(mark: yaml.Mark) -> Line:
    return Line(mark.line + 1, mark.column + 1)


class LineDict(dict):
    """A dict from YAML that knows the line (1-based, with its column) of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    path: Path


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = _mark_line(node.start_mark)
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise ConfigError(f"{place(loader.path, _mark_line(key_node.start_mark))}: duplicate key '{key}'")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _mark_line(key_node.start_mark)
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _mark_line(node.start_mark)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: str | Path) -> LineDict:
    """Parse a YAML file whose top level must be a mapping."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}): save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    loader = _LineLoader(text)
    loader.path = path
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(_yaml_message(path, exc)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{place(path)}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(data, LineDict):
        raise ConfigError(f"{place(path, getattr(data, 'line', 1))}: the top level must be a mapping of keys")
    return data


def _yaml_message(path: Path, exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's own words at its own place, e.g. ``rig.yaml:4:1: not valid YAML: found character '\\t' ...``."""
    mark = exc.problem_mark or exc.context_mark
    where = place(path, _mark_line(mark)) if mark is not None else place(path)
    problem = exc.problem or exc.context or "cannot be parsed"
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    hint = "; indent with spaces, YAML does not allow tabs" if "\\t" in problem else ""
    return f"{where}: not valid YAML: {problem}{context}{hint}"


@dataclass(frozen=True)
class Field:
    """One allowed key: its type(s), whether it is required, its default, an optional check."""

    type: type | tuple[type, ...]
    required: bool = False
    default: Any = None
    choices: tuple[Any, ...] | None = None
    check: Callable[[Any], str | None] | None = None  # returns an error text or None
    doc: str = ""


@dataclass
class Checker:
    """Checks mappings of one file against schemas, collecting the file name into messages."""

    path: Path
    errors: list[str] = field(default_factory=list)

    def fail(self, line: int, message: str) -> None:
        """Record ``file:line:column: message`` (a Line from the YAML carries its column)."""
        self.errors.append(f"{place(self.path, line)}: {message}")

    def mapping(self, data: Any, schema: dict[str, Field], where: str, line: int = 0) -> dict[str, Any]:
        """Return a plain dict with defaults filled in; record an error for each problem."""
        if not isinstance(data, dict):
            self.fail(getattr(data, "line", line), f"{where}: expected a mapping of keys, got {_kind(data)}")
            return {name: f.default for name, f in schema.items()}
        key_lines = getattr(data, "key_lines", {})
        base_line = getattr(data, "line", line)
        out: dict[str, Any] = {}
        for key, value in data.items():
            kline = key_lines.get(key, base_line)
            if key not in schema:
                hint = difflib.get_close_matches(str(key), list(schema), n=1)
                extra = (
                    f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(sorted(schema))})"
                )
                self.fail(kline, f"{where}: unknown key '{key}'{extra}")
                continue
            out[key] = self.value(value, schema[key], f"{where}.{key}", kline)
        for name, spec in schema.items():
            if name in out:
                continue
            if spec.required:
                self.fail(base_line, f"{where}: missing required key '{name}'")
            out[name] = spec.default
        return out

    def value(self, value: Any, spec: Field, where: str, line: int) -> Any:
        types = spec.type if isinstance(spec.type, tuple) else (spec.type,)
        if value is None and not spec.required:
            return spec.default
        # bool is an int in Python; a YAML "yes" must not pass as a number.
        if isinstance(value, bool) and bool not in types:
            ok = False
        elif float in types and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        else:
            ok = isinstance(value, types)
        if not ok:
            names = " or ".join(t.__name__ for t in types)
            self.fail(line, f"'{where}' must be {names}, got {_kind(value)} {value!r}")
            return spec.default
        if spec.choices is not None and value not in spec.choices:
            allowed = ", ".join(map(str, spec.choices))
            self.fail(line, f"'{where}' is {value!r}; allowed: {allowed}")
            return spec.default
        if spec.check is not None:
            problem = spec.check(value)
            if problem:
                self.fail(line, f"'{where}' {problem}")
        return value

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ConfigError("\n".join(self.errors))


def positive(value: Any) -> str | None:
    return None if value > 0 else f"must be > 0, got {value}"


def non_negative(value: Any) -> str | None:
    return None if value >= 0 else f"must be >= 0, got {value}"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
