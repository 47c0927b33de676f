"""Settings that do not validate, as one Danish line each, named as the user wrote them.

pydantic reports a field name; the user set `REFERENT_ACCESS_LEVEL` in the environment or
`access_level` in a TOML file (or a command-line option), so the line names that form.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "REFERENT_"
MAX_VALUE_CHARS = 60

_NEEDS = {
    "int_parsing": "skal være et heltal",
    "int_type": "skal være et heltal",
    "int_from_float": "skal være et heltal",
    "float_parsing": "skal være et tal",
    "float_type": "skal være et tal",
    "finite_number": "skal være et endeligt tal",
    "bool_parsing": "skal være true eller false",
    "bool_type": "skal være true eller false",
    "string_type": "skal være tekst",
    "path_type": "skal være en sti",
    "dict_type": 'skal være en tabel som {{"Greve" = "greve"}}',
    "greater_than_equal": "skal være mindst {ge}",
    "greater_than": "skal være større end {gt}",
    "less_than_equal": "må højst være {le}",
    "less_than": "skal være mindre end {lt}",
}


def setting_name(
    field: str,
    given: Mapping[str, Any],
    environ: Mapping[str, str],
    toml_keys: set[str],
    toml_file: Path,
) -> tuple[str, str]:
    """The setting's name and where it was set, by the sources' order: option, environment,
    TOML file ("" for where when it is plain from the name)."""
    env = f"{ENV_PREFIX}{field}".upper()
    if field not in given and any(key.upper() == env for key in environ):
        return env, ""
    if field not in given and field in toml_keys:
        return field, f" i {toml_file}"
    return field, ""


def validation_lines(errors: list[dict], name_of) -> list[str]:
    """One line per error of pydantic's list; `name_of(field)` gives (name, where)."""
    lines = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())] or ["?"]
        name, where = name_of(loc[0])
        name += "".join(f"[{part}]" for part in loc[1:])
        value = _shown(error.get("input"))
        lines.append(f"Ugyldig indstilling {name}={value}{where}: {_need(error)}.")
    return lines


def parse_error_line(message: str, name_of) -> str:
    """pydantic-settings' own error for a value that is not JSON where JSON is expected."""
    found = re.search(r'field "(\w+)"', message)
    name, where = name_of(found.group(1)) if found else ("?", "")
    return f"Ugyldig indstilling {name}{where}: værdien kan ikke læses (skal være JSON)."


def toml_line(path: Path, exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"Indstillingsfilen {path} kan ikke læses: {exc.strerror or exc}."
    if isinstance(exc, UnicodeDecodeError):
        return f"Indstillingsfilen {path} er ikke UTF-8-tekst."
    return f"Indstillingsfilen {path} er ikke gyldig TOML: {exc}."


def toml_keys(path: Path) -> set[str]:
    try:
        return set(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def _need(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", " eller ")
        return f"skal være {expected}"
    if kind == "value_error":  # a validator's own Danish reason
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = _NEEDS.get(kind)
    if template is None:
        return f"ugyldig værdi ({error.get('msg', kind)})"
    return template.format(**{k: _number(ctx.get(k, "")) for k in ("ge", "gt", "le", "lt")})


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else f"{text[: MAX_VALUE_CHARS - 1]}…"
