"""Editors and the secrets that stand for them: browser sessions, API tokens, one-time links.

Passwords are hashed with Argon2id (argon2-cffi). Every other secret is 32 random bytes shown
once to its holder; the database keeps only its SHA-256, so a stolen copy of the database
cannot be used to sign in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, select

from app.models import Credential, Editor, utcnow

SESSION_LIFETIME = dt.timedelta(days=14)
LINK_LIFETIME = dt.timedelta(hours=1)
LIFETIMES: dict[str, dt.timedelta | None] = {
    "session": SESSION_LIFETIME,
    "link": LINK_LIFETIME,
    "token": None,
}
LOCAL_EDITOR = "local"
MIN_PASSWORD = 8

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class EditorError(ValueError):
    """A refused account operation; the message is for the person who asked."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _valid_name(name: str) -> str:
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise EditorError("An editor needs a name.")
    if len(name) > 80 or any(unicodedata.category(c).startswith("C") for c in name):
        raise EditorError("An editor's name is at most 80 printable characters.")
    return name


def find_editor(session: Session, name: str) -> Editor | None:
    return session.exec(select(Editor).where(Editor.name == name.strip())).first()


def add_editor(session: Session, name: str, password: str | None = None) -> Editor:
    """A new editor; without a password they sign in only through links the operator prints."""
    name = _valid_name(name)
    if find_editor(session, name) is not None:
        raise EditorError(f"There is already an editor called {name!r}.", 409)
    if password is not None and len(password) < MIN_PASSWORD:
        raise EditorError(f"A password has at least {MIN_PASSWORD} characters.")
    editor = Editor(name=name, password_hash=_hasher.hash(password) if password else None)
    session.add(editor)
    session.flush()
    return editor


def set_password(session: Session, name: str, password: str) -> Editor:
    """Give the editor a new password; their existing sessions and tokens stay valid."""
    editor = find_editor(session, name)
    if editor is None:
        raise EditorError(f"There is no editor called {name!r}.", 404)
    if len(password) < MIN_PASSWORD:
        raise EditorError(f"A password has at least {MIN_PASSWORD} characters.")
    editor.password_hash = _hasher.hash(password)
    session.add(editor)
    session.flush()
    return editor


def remove_editor(session: Session, name: str) -> None:
    """Remove the editor and end all their sessions, tokens and links at once."""
    editor = find_editor(session, name)
    if editor is None:
        raise EditorError(f"There is no editor called {name!r}.", 404)
    session.exec(delete(Credential).where(col(Credential.editor_id) == editor.id))
    session.delete(editor)
    session.flush()


def list_editors(session: Session) -> list[Editor]:
    return list(session.exec(select(Editor).order_by(Editor.name)).all())


def check_password(session: Session, name: str, password: str) -> Editor | None:
    """The editor if the password is theirs; None otherwise, in about the same time either way.
    A hash made with weaker parameters than today's is upgraded on the way."""
    editor = find_editor(session, name or "")
    stored = editor.password_hash if editor is not None and editor.password_hash else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    if _hasher.check_needs_rehash(stored):
        editor.password_hash = _hasher.hash(password)
        session.add(editor)
        session.flush()
    return editor


def issue(session: Session, editor: Editor, kind: str) -> str:
    """A new secret of ``kind`` for the editor; returned once, stored only as its digest."""
    now = utcnow()
    session.exec(
        delete(Credential).where(
            col(Credential.expires_at).is_not(None), col(Credential.expires_at) < now
        )
    )
    secret = secrets.token_urlsafe(32)
    lifetime = LIFETIMES[kind]
    session.add(
        Credential(
            editor_id=editor.id,
            kind=kind,
            secret_hash=digest(secret),
            expires_at=now + lifetime if lifetime else None,
        )
    )
    session.flush()
    return secret


def _credential(session: Session, secret: str | None, kind: str) -> Credential | None:
    if not secret or len(secret) > 200:
        return None
    found = session.exec(select(Credential).where(Credential.secret_hash == digest(secret))).first()
    if found is None or found.kind != kind:
        return None
    if found.expires_at is not None and _aware(found.expires_at) <= utcnow():
        return None
    return found


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def editor_for(session: Session, secret: str | None, kind: str) -> Editor | None:
    """The editor a session cookie or API token stands for, if it is valid and unexpired."""
    found = _credential(session, secret, kind)
    return session.get(Editor, found.editor_id) if found else None


def redeem_link(session: Session, secret: str) -> Editor | None:
    """The editor of a one-time sign-in link, which is used up by this call."""
    found = _credential(session, secret, "link")
    if found is None:
        return None
    session.delete(found)
    session.flush()
    return session.get(Editor, found.editor_id)


def revoke(session: Session, secret: str | None) -> None:
    if secret:
        session.exec(delete(Credential).where(col(Credential.secret_hash) == digest(secret)))


def local_editor(session: Session) -> Editor | None:
    """The local editor a fresh install signs in as: created whenever there is no editor at
    all; once the operator has added real editors and removed it, there is none."""
    if session.exec(select(Editor.id)).first() is None:
        return add_editor(session, LOCAL_EDITOR)
    return find_editor(session, LOCAL_EDITOR)
