"""The declarative schema on its own: how each field reads input and describes itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import QueryDict

from hemei.api import schema as s


def fields_of(exc: pytest.ExceptionInfo[s.Invalid]) -> set[str]:
    return set(exc.value.fields)


def test_an_object_reads_known_fields_and_reports_every_problem():
    obj = s.Obj(
        "Thing",
        {"name": s.Str(min_length=1, max_length=5), "on": s.Date(), "n": s.Int(minimum=0)},
        required=["name"],
    )
    assert obj.parse({"name": " ab ", "on": "2026-06-30"}) == {
        "name": "ab",
        "on": dt.date(2026, 6, 30),
    }
    with pytest.raises(s.Invalid) as exc:
        obj.parse({"on": "30.6.2026", "n": -1, "x": 1})
    assert fields_of(exc) == {"name", "on", "n", "x"}


def test_nested_problems_name_their_path():
    obj = s.Obj(None, {"items": s.List(s.Obj(None, {"on": s.Date()}, required=["on"]))})
    with pytest.raises(s.Invalid) as exc:
        obj.parse({"items": [{"on": "2026-01-01"}, {}, {"on": "x"}]})
    assert fields_of(exc) == {"items.1.on", "items.2.on"}


@pytest.mark.parametrize(
    "field, good, bad",
    [
        (s.Int(minimum=1, maximum=9), [1, 9, 3.0], [0, 10, 1.5, True, "3", None]),
        (s.Number(minimum=0, maximum=100), [0, 99.99, "12.5"], [-1, 100.01, 1.001, "x", False]),
        (s.Bool(), [True, False], [1, "true", None]),
        (s.Date(), ["2024-02-29"], ["2026-02-29", "2026-1-1", 20260101]),
        (s.Choice([("a", "A"), ("b", "B")]), ["a"], ["c", 1, None]),
        (s.Str(max_length=3), ["abc", ""], ["abcd", 1, "a\x00", "\ud800"]),
        (s.List(s.Int(), max_items=2), [[], [1, 2]], [[1, 2, 3], "1,2", [1, "x"]]),
    ],
)
def test_fields_accept_their_values_and_refuse_others(field: s.Field, good, bad):
    for value in good:
        field.parse(value)
    for value in bad:
        with pytest.raises(s.Invalid):
            field.parse(value)


def test_query_text_is_read_by_type():
    assert s.Int().parse_text("42", "n") == 42
    assert s.Bool().parse_text("Yes", "b") is True
    assert s.Choice([(1, "one"), (2, "two")]).parse_text("2", "c") == 2
    assert s.Number().parse_text("7.25", "x") == Decimal("7.25")
    with pytest.raises(s.Invalid):
        s.Int().parse_text("12345678901234567", "n")  # beyond what JSON carries exactly
    params = [s.Param("page", s.Int(minimum=1)), s.Param("q", s.Str())]
    assert s.parse_query(params, {"page": "2", "q": "", "other": "x"}, s.Context()) == {"page": 2}


def test_a_multipart_form_is_read_with_the_same_declaration():
    obj = s.Obj(
        None, {"percent": s.Number(), "ids": s.List(s.Int()), "go": s.Bool()}, required=["percent"]
    )
    form = QueryDict("percent=12.5&ids=3&ids=4&go=true")
    assert obj.parse_form_data(form, s.Context()) == {
        "percent": Decimal("12.5"),
        "ids": [3, 4],
        "go": True,
    }
    with pytest.raises(s.Invalid) as exc:
        obj.parse_form_data(QueryDict("ids=x&colour=red"), s.Context())
    assert fields_of(exc) == {"percent", "ids.0", "colour"}


def test_the_description_follows_the_declaration():
    person = s.response("Person", {"id": s.Int(minimum=1), "name": s.Str()})
    thing = s.Obj(
        "Thing",
        {
            "owner": s.Nullable(person),
            "tags": s.List(s.Str(max_length=10), max_items=5),
            "kind": s.Choice([("a", "A")], nullable=True),
            "on": s.Date(nullable=True, description="When."),
        },
        required=["owner"],
    )
    assert thing.json_schema() == {"$ref": "#/components/schemas/Thing"}
    inline = thing.inline_schema()
    assert inline["required"] == ["owner"] and inline["additionalProperties"] is False
    props = inline["properties"]
    assert props["owner"] == {"anyOf": [{"$ref": "#/components/schemas/Person"}, {"type": "null"}]}
    assert props["tags"] == {
        "type": "array",
        "items": {"type": "string", "maxLength": 10},
        "maxItems": 5,
    }
    assert props["kind"]["type"] == ["string", "null"] and props["kind"]["enum"] == ["a", None]
    assert props["on"] == {"type": ["string", "null"], "format": "date", "description": "When."}
    assert set(thing.components()) == {"Thing", "Person"}
    assert person.inline_schema()["required"] == ["id", "name"]


def test_two_different_objects_may_not_share_a_name():
    a = s.Obj("Same", {"x": s.Int()})
    b = s.Obj("Same", {"y": s.Int()})
    with pytest.raises(ValueError, match="Same"):
        s.Obj(None, {"a": a, "b": b}).components()
