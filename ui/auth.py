"""Staff login for the app: a users file with scrypt-hashed passwords and an access level each.

One line per user: `name:level:scrypt$n$r$p$salt_hex$hash_hex`. Lines starting with `#` are
comments. The file holds no plain passwords, so it can sit beside the deployment's config; it is
written with mode 0600 all the same. Standard library only (hashlib.scrypt), so no extra
dependency.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from referent_errors import ReferentError, os_reason
from vectorstore.records import ACCESS_LEVELS

# scrypt cost: 2^15 × 8 × 1 takes ~32 MiB and ~0.1 s per check on a small server, a fair price
# for a login and a high one for guessing.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_NAME = re.compile(r"^[A-Za-z0-9ÆØÅæøå._@-]{1,64}$")
MAX_PASSWORD_CHARS = 1024


class UsersFileError(ReferentError, ValueError):
    """The users file or a user's entry is not valid."""

    technical_message = "Invalid users file or user entry"
    user_message = "Brugerfilen er ikke gyldig."


@dataclass(frozen=True)
class User:
    name: str
    level: str
    password_hash: str


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; a malformed hash never verifies."""
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(hash_hex)
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt_hex),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=256 * 1024 * 1024,
            dklen=len(expected),
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)


def load_users(path: Path) -> dict[str, User]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        why = os_reason(exc)
        raise UsersFileError(
            f"Cannot read the users file {path}: {exc}",
            user_message=f"Brugerfilen {path} kunne ikke læses" + (f": {why}." if why else "."),
        ) from exc
    users: dict[str, User] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) != 3 or parts[1] not in ACCESS_LEVELS:
            raise UsersFileError(
                f"Line {number} of the users file {path} is not valid",
                user_message=f"Linje {number} i brugerfilen {path} er ikke gyldig.",
            )
        users[parts[0]] = User(parts[0], parts[1], parts[2])
    return users


_DUMMY_HASH = hash_password(secrets.token_hex(8), n=2**10)


def authenticate(path: Path, name: str, password: str) -> User | None:
    """The user when name and password match; the same work is done for unknown names."""
    user = load_users(path).get(name.strip())
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return None
    return user if verify_password(password, user.password_hash) else None


def add_user(path: Path, name: str, password: str, level: str) -> None:
    """Add or replace a user; the file is rewritten atomically with mode 0600."""
    if not _NAME.match(name):
        raise UsersFileError(
            f"Invalid user name {name!r}",
            user_message="Brugernavnet må kun indeholde bogstaver, tal og . _ @ - (højst 64).",
        )
    if level not in ACCESS_LEVELS:
        raise UsersFileError(
            f"Unknown access level {level!r}",
            user_message="Adgangsniveauet skal være public, internal eller closed.",
        )
    if not 8 <= len(password) <= MAX_PASSWORD_CHARS:
        raise UsersFileError(
            "The password is shorter than 8 characters or too long",
            user_message="Adgangskoden skal være mindst 8 tegn.",
        )
    path = Path(path)
    users = load_users(path) if path.exists() else {}
    users[name] = User(name, level, hash_password(password))
    lines = ["# Referent-brugere: navn:adgangsniveau:scrypt-hash (referent user-add)"]
    lines += [f"{u.name}:{u.level}:{u.password_hash}" for u in users.values()]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    tmp.replace(path)
