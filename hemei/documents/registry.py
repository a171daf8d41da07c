"""The kinds of document a procedure produces, registered in code by the app that owns them.

A kind names its Word template's fields (each with a sample value: the upload check renders a
county's template with them, and the pages show them to whoever writes a template) and ships
a default template in its app's ``templates_docx/``. An app registers its kinds from its own
code when it loads (``register_kind`` in a module its ``AppConfig.ready`` imports); this app
registers the generic notice and refusal letter (:mod:`.kinds`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import Http404


@dataclass(frozen=True)
class Field:
    """One value the template takes: ``{{ name }}`` in the Word file."""

    name: str
    #: what it is, for the template writer (a lazy translation)
    label: Any
    #: filled in by the upload check and the preview; a list of dicts for a table's rows
    sample: Any

    @property
    def row_keys(self) -> list[str]:
        """The keys of a table's rows (``row.no`` …), or [] for a plain value."""
        if isinstance(self.sample, list) and self.sample and isinstance(self.sample[0], dict):
            return list(self.sample[0])
        return []


@dataclass(frozen=True)
class DocumentKind:
    key: str
    #: the document's title as the pages list it (a lazy translation)
    title: Any
    fields: tuple[Field, ...]
    #: the default template shipped with the code
    default_template: Path
    #: posted for the public (a 公示): no ID number or mobile number may reach it
    public: bool = False
    #: the file name a rendered document gets (without ``.docx``)
    filename: str = ""

    def sample_context(self) -> dict[str, Any]:
        return {field.name: field.sample for field in self.fields}

    def default_bytes(self) -> bytes:
        return self.default_template.read_bytes()

    @property
    def download_name(self) -> str:
        return f"{self.filename or self.key}.docx"


_KINDS: dict[str, DocumentKind] = {}


def register_kind(
    key: str,
    *,
    title: Any,
    fields: list[Field] | tuple[Field, ...],
    default_template: Path,
    public: bool = False,
    filename: str = "",
) -> DocumentKind:
    """Add a kind (registering the same key again replaces it, as a module reload does)."""
    if not key.replace("_", "").isalnum() or not key.isascii() or len(key) > 50:
        raise ValueError(f"a document kind key is a short ASCII identifier, not {key!r}")
    if not default_template.is_file():
        raise ValueError(f"the default template of {key!r} is missing: {default_template}")
    names = [field.name for field in fields]
    if len(set(names)) != len(names):
        raise ValueError(f"document kind {key!r} names a field twice")
    kind = DocumentKind(
        key=key,
        title=title,
        fields=tuple(fields),
        default_template=default_template,
        public=public,
        filename=filename,
    )
    _KINDS[key] = kind
    return kind


def kinds() -> Iterator[DocumentKind]:
    """Every registered kind, in the order of their keys."""
    for key in sorted(_KINDS):
        yield _KINDS[key]


def get_kind(key: str) -> DocumentKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"no document kind {key!r}") from None


def kind_or_404(key: str) -> DocumentKind:
    try:
        return get_kind(key)
    except LookupError:
        raise Http404 from None
