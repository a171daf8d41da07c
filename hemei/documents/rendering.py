"""Filling a Word template (docxtpl) safely: the check an upload must pass, and the render.

A county administrator's template is untrusted input, so it runs in a Jinja sandbox that
allows what a form needs and nothing more:

* no access to Python internals (Jinja's ``SandboxedEnvironment``), an undefined name is an
  error (``StrictUndefined``), every value is XML-escaped (autoescape, which a template may
  not switch off);
* no variables, macros, includes or recursive loops, loops nested at most two deep, no
  globals (``range``, ``lipsum`` …), a short list of filters, calls only to a dict's
  ``items``/``keys``/``values``/``get``, and no operator that makes a huge string or number
  (``"x" * 10**9``, ``"%09999999d" % 1``, ``9 ** 9 ** 9``): nothing in a template can make
  the server spend much more than the data it is given;
* the package is checked before it is unpacked (:mod:`hemei.core.packages`), may not point
  at files outside itself, and what comes out must open as a Word document again.

Public notices are guarded against personal data: :func:`check_no_personal_data` refuses a
context holding an unmasked ID-card number or mobile number anywhere.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docxtpl import DocxTemplate
from jinja2 import (
    StrictUndefined,
    TemplateAssertionError,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from hemei.core import packages

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: An uploaded template may be at most this large …
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
#: … and unpack to at most this much (pictures of a letterhead included).
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
#: Loops inside loops (a table's rows, and the cells of a row) go no deeper.
MAX_LOOP_DEPTH = 2
#: ``"x" * n`` and ``[x] * n`` may make at most this many items.
MAX_REPEAT = 10_000

SAFE_FILTERS = frozenset(
    {
        "abs",
        "capitalize",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "first",
        "float",
        "int",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "rejectattr",
        "reverse",
        "round",
        "selectattr",
        "sort",
        "string",
        "sum",
        "title",
        "trim",
        "truncate",
        "upper",
    }
)
FORBIDDEN_NODES: dict[type[nodes.Node], str] = {
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.With: "{% with %}",
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from … import %}",
    nodes.Include: "{% include %}",
    nodes.Extends: "{% extends %}",
    nodes.EvalContextModifier: "{% autoescape %}",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
}
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})
_SEQUENCES = (str, list, tuple)
_HYPERLINK = RELATIONSHIP_TYPE.HYPERLINK


class DocumentSandbox(SandboxedEnvironment):
    """The Jinja environment every document template runs in (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self.globals.clear()
        self.filters = {name: f for name, f in self.filters.items() if name in SAFE_FILTERS}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _check_tree(tree, depth=0)
        return tree

    def is_safe_callable(self, obj: Any) -> bool:
        owner = getattr(obj, "__self__", None)
        return isinstance(owner, dict) and getattr(obj, "__name__", "") in _DICT_METHODS

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if not _small_number(left) or not _small_number(right) or abs(right) > 64:
                raise SecurityError(_("powers of large numbers"))
            return left**right
        if operator == "%":
            if not isinstance(left, int | float) or isinstance(left, bool):
                raise SecurityError(_("formatting with %"))
            return left % right
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, _SEQUENCES)
                    and isinstance(count, int)
                    and len(sequence) * max(count, 0) > MAX_REPEAT
                ):
                    raise SecurityError(_("repeating text too many times"))
            return left * right
        return super().call_binop(context, operator, left, right)


def _small_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 10**6


def _check_tree(node: nodes.Node, depth: int) -> None:
    for child in node.iter_child_nodes():
        refused = FORBIDDEN_NODES.get(type(child))
        if refused:
            raise SecurityError(refused)
        inner = depth
        if isinstance(child, nodes.For):
            if child.recursive:
                raise SecurityError(_("recursive loops"))
            inner = depth + 1
            if inner > MAX_LOOP_DEPTH:
                raise SecurityError(
                    _("loops nested more than %(depth)d deep") % {"depth": MAX_LOOP_DEPTH}
                )
        _check_tree(child, inner)


# --------------------------------------------------------------------------- rendering


class TemplateFailed(ValidationError):
    """The template cannot be read or filled; the message says why, for its author."""


def render_docx(template: bytes, context: Mapping[str, Any]) -> bytes:
    """The template filled with ``context``, as .docx bytes; :class:`TemplateFailed` if not."""
    document = _open(template)
    _check_relationships(document)
    try:
        filled = DocxTemplate(io.BytesIO(template))
        filled.render(dict(context), jinja_env=DocumentSandbox(), autoescape=True)
        out = io.BytesIO()
        filled.save(out)
    except UndefinedError as error:
        raise TemplateFailed(
            _("The template uses a field this document does not have: %(detail)s.")
            % {"detail": _undefined_name(error)},
            code="undefined",
        ) from None
    except TemplateAssertionError as error:  # a filter or test that is not allowed
        raise TemplateFailed(
            _("The template uses something document templates may not use: %(detail)s.")
            % {"detail": error.message},
            code="forbidden",
        ) from None
    except TemplateSyntaxError as error:
        raise TemplateFailed(
            _(
                "The template has a malformed {{ }} or {%% %%} tag near paragraph %(line)s: "
                "%(detail)s."
            )
            % {"line": max((error.lineno or 1) - 1, 1), "detail": error.message},
            code="syntax",
        ) from None
    except SecurityError as error:
        raise TemplateFailed(
            _("The template uses something document templates may not use: %(detail)s.")
            % {"detail": error},
            code="forbidden",
        ) from None
    except TemplateError as error:
        raise TemplateFailed(
            _("The template cannot be filled: %(detail)s.") % {"detail": error},
            code="render",
        ) from None
    except Exception:  # docxtpl and lxml raise many kinds on a broken package
        raise TemplateFailed(
            _("The template cannot be filled: Word's file structure in it is damaged."),
            code="render",
        ) from None
    data = out.getvalue()
    _open(data, rendered=True)  # what comes out must be a Word document again
    return data


def check_template(template: bytes, context: Mapping[str, Any]) -> bytes:
    """An uploaded template's checks: a real .docx within the limits that renders with
    ``context`` (the kind's sample values). The sample document, or :class:`TemplateFailed`."""
    if not template:
        raise TemplateFailed(_("The file is empty."), code="empty")
    if len(template) > MAX_TEMPLATE_BYTES:
        raise TemplateFailed(
            _("The file is larger than %(limit)d MB.")
            % {"limit": MAX_TEMPLATE_BYTES // 1024 // 1024},
            code="too_big",
        )
    if template.startswith(b"\xd0\xcf\x11\xe0"):
        raise TemplateFailed(
            _(
                "This is an old Word 97-2003 file (.doc). Open it in Word or WPS and save it "
                "as a Word document (.docx)."
            ),
            code="doc",
        )
    return render_docx(template, context)


def _not_docx() -> TemplateFailed:
    return TemplateFailed(_("The file is not a Word document (.docx)."), code="type")


def _open(data: bytes, *, rendered: bool = False) -> Any:
    try:
        packages.check_declared_sizes(data, max_unpacked=MAX_UNPACKED_BYTES)
    except packages.NotAPackage:
        raise _not_docx() from None
    except packages.PackageTooLarge:
        raise TemplateFailed(
            _("The document unpacks to more than %(limit)d MB.")
            % {"limit": MAX_UNPACKED_BYTES // 1024 // 1024},
            code="too_big",
        ) from None
    try:
        return Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a foreign or broken package
        if rendered:
            raise TemplateFailed(
                _("Filled in, the template is no longer a valid Word document."), code="render"
            ) from None
        raise _not_docx() from None


def _check_relationships(document: Any) -> None:
    """A template may link to web pages, but not load anything from outside itself."""
    for part in document.part.package.iter_parts():
        for relationship in part.rels.values():
            if relationship.is_external and relationship.reltype != _HYPERLINK:
                raise TemplateFailed(
                    _(
                        "The template loads a file from outside itself (%(target)s); insert "
                        "pictures and other files into the document instead of linking them."
                    )
                    % {"target": relationship.target_ref[:100]},
                    code="external",
                )


def _undefined_name(error: UndefinedError) -> str:
    """``foo`` from "'foo' is undefined", ``bar`` from "'dict object' has no attribute 'bar'"."""
    message = error.message or ""
    quoted = re.findall(r"'([^']+)'", message)
    if not quoted:
        return message
    return quoted[-1] if "has no attribute" in message else quoted[0]


# --------------------------------------------------------------------------- personal data

#: An 18-digit resident ID number (the last character may be X), not part of a longer number.
ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
#: An 11-digit mainland mobile number, not part of a longer number.
MOBILE_NUMBER = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


#: A bank card or account number: 16 to 19 digits, together or in groups of four with the
#: same separator between each (6222 0212 …), or any run of 10 or more digits right after a
#: word that says it is an account (账号, 卡号). A case number (370215100214-2026-0001: a
#: village code, a year and a serial) is none of these.
BANK_ACCOUNT = re.compile(
    r"(?<![0-9])(?:[0-9]{16,19}"
    r"|[0-9]{4}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}(?:(?P=sep)[0-9]{1,3})?)"
    r"(?![0-9])"
    r"|(?:账号|帐号|卡号|账户|帐户)[:：\s]*[0-9][0-9 -]{8,}[0-9]"
)
#: Words that tell a person's health (illness, disability, treatment): never on a notice
#: (DOMAIN.md §7: a monitoring notice may not say 因病). They cannot be masked, only left out.
#: The names of public programmes are not a person's health and must stay publishable:
#: 残疾人两项补贴 and 大病保险 are disclosed by law, so bare 残疾 and 大病 do not count; a
#: person's grade (二级残疾, 残疾等级) or certificate (残疾证) does.
HEALTH = re.compile(
    r"因病|因残|患有|患病|病情|病史|病历|确诊|诊断|[一二三四1-4]级残疾|残疾等级|残疾证|"
    r"精神病|精神疾病|重病|慢性病|癌症|艾滋|HIV|住院|透析|化疗"
)


class PersonalDataInNotice(ValidationError):
    """A public notice's content holds an unmasked ID number, mobile number or bank account
    number, or words about someone's health."""


def personal_data_in(text: str) -> Any:
    """What personal data ``text`` shows (a translated phrase), or None."""
    if ID_NUMBER.search(text):
        return _("an ID-card number")
    if MOBILE_NUMBER.search(text):
        return _("a mobile number")
    if BANK_ACCOUNT.search(text):
        return _("a bank account number")
    if HEALTH.search(text):
        return _("someone's health")
    return None


def mask_numbers(text: str) -> str:
    """``text`` with ID-card, mobile and bank account numbers masked (370215********1234,
    139****1001, 6222****0001); words about health are left for the guard to refuse."""

    def keep_ends(head: int, tail: int) -> Any:
        def mask(match: re.Match[str]) -> str:
            digits = match.group(0)
            return digits[:head] + "*" * max(len(digits) - head - tail, 4) + digits[-tail:]

        return mask

    text = ID_NUMBER.sub(keep_ends(6, 4), text)
    text = MOBILE_NUMBER.sub(keep_ends(3, 4), text)
    return BANK_ACCOUNT.sub(keep_ends(4, 4), text)


def check_no_personal_data(context: Any) -> None:
    """Raise :class:`PersonalDataInNotice` naming the field that holds an unmasked ID-card,
    mobile or bank account number, or words about someone's health, anywhere in ``context``
    (nested rows and objects included)."""
    for path, text in _texts(context, ""):
        what = personal_data_in(text)
        if what is None:
            continue
        raise PersonalDataInNotice(
            _(
                "A public notice may not show %(what)s (field %(field)s). Mask it (for example "
                "139****1234) or leave it out."
            )
            % {"what": what, "field": path or "?"},
            code="personal_data",
        )


def _texts(value: Any, path: str, depth: int = 0) -> list[tuple[str, str]]:
    if depth > 20:
        return []
    if isinstance(value, str | int) and not isinstance(value, bool):
        return [(path, str(value))]
    if isinstance(value, Mapping):
        items = list(value.items())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    elif isinstance(value, list | tuple | set | frozenset):
        items = [(str(index + 1), item) for index, item in enumerate(value)]
    elif hasattr(value, "__dict__") and not callable(value):
        items = [(k, v) for k, v in vars(value).items() if not k.startswith("_")]
    else:
        return [(path, str(value))] if value is not None else []
    found: list[tuple[str, str]] = []
    for key, item in items:
        found += _texts(item, f"{path}.{key}" if path else str(key), depth + 1)
    return found
