"""The OpenAPI document: served, valid in shape, complete (every API URL is documented),
and every $ref resolves. Answers are checked against it in the endpoint tests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from hemei.core.testing import Cast

from .jsonschema import resolve, well_formed

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def url_paths(patterns: list[Any], prefix: str = "/") -> list[str]:
    """Every URL pattern of the site, as an OpenAPI path template."""
    found = []
    for pattern in patterns:
        text = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += url_paths(pattern.url_patterns, prefix + text)
        elif isinstance(pattern, URLPattern):
            found.append(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + text))
    return found


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for item in node for r in refs(item)]
    return []


def schemas_in(node: Any, at: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every JSON Schema object in the document (under "schema" keys and components)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema" and isinstance(value, dict):
                found.append((f"{at}/{key}", value))
            found += schemas_in(value, f"{at}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += schemas_in(item, f"{at}/{index}")
    return found


def test_it_is_an_openapi_3_1_document(openapi: dict[str, Any]):
    assert openapi["openapi"] == "3.1.0"
    assert openapi["info"]["title"] and openapi["info"]["version"]
    assert set(openapi) <= {
        "openapi", "info", "jsonSchemaDialect", "servers", "paths", "components", "tags",
        "security", "webhooks", "externalDocs",
    }  # fmt: skip
    operation_ids = []
    for path, item in openapi["paths"].items():
        assert path.startswith("/api/v1/")
        assert set(item) <= METHODS
        for method, op in item.items():
            operation_ids.append(op["operationId"])
            assert op["summary"] and op["responses"] and op["tags"]
            for code, response in op["responses"].items():
                assert re.fullmatch(r"[1-5][0-9][0-9]", code)
                assert "$ref" in response or "description" in response
            declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), (method, path)
            for p in op["parameters"]:
                assert p["in"] in {"path", "query"} and "schema" in p
                assert p["required"] if p["in"] == "path" else True
            for requirement in op["security"]:
                assert set(requirement) <= set(openapi["components"]["securitySchemes"])
    assert len(operation_ids) == len(set(operation_ids))


def test_every_reference_resolves(openapi: dict[str, Any]):
    found = refs(openapi)
    assert found
    for ref in found:
        assert resolve(ref, openapi), ref
    used = {ref.rsplit("/", 1)[-1] for ref in found}
    assert set(openapi["components"]["schemas"]) <= used | {"Error"}


def test_every_schema_is_well_formed(openapi: dict[str, Any]):
    problems = []
    for at, schema in schemas_in(openapi):
        problems += well_formed(schema, at)
    for name, schema in openapi["components"]["schemas"].items():
        problems += well_formed(schema, name)
    assert not problems, problems[:10]


def test_every_api_url_is_documented_and_nothing_else(openapi: dict[str, Any]):
    urls = {p for p in url_paths(get_resolver().url_patterns) if p.startswith("/api/v1/")}
    catch_all = {p for p in urls if "(?P" in p}  # the JSON 404 for every other path
    assert len(catch_all) == 1
    urls -= catch_all
    assert urls == set(openapi["paths"])


@pytest.mark.django_db
def test_the_document_is_served_without_signing_in(openapi: dict[str, Any]):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == openapi


@pytest.mark.django_db
def test_the_documentation_page_lists_every_operation(openapi: dict[str, Any], cast: Cast):
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    for path, item in openapi["paths"].items():
        assert path in page
        for op in item.values():
            assert f'id="{op["operationId"]}"' in page
    for name in openapi["components"]["schemas"]:
        assert f'id="schema-{name}"' in page


@pytest.mark.django_db
def test_the_documentation_page_speaks_the_interface_language_without_raw_markup(
    openapi: dict[str, Any],
):
    page = Client().get("/api/v1/docs/").content.decode()
    assert "<h1>和美数据接口" in page and "和美的 JSON 数据接口" in page
    assert '<h2 id="tag-tasks">任务</h2>' in page and "列出任务" in page and "新建任务" in page
    assert '<a href="#tag-supervision">督查督办</a>（14）' in page
    assert '<td data-label="位置">查询参数</td>' in page
    body = page.split("<h1>", 1)[1]
    for raw in ("``", "**", "`", "\n#"):
        assert raw not in body, raw
    assert "<code>Authorization: Bearer hm_…</code>" in page
    assert "<code>period_start</code>" in page  # was ``period_start`` in the description
    english = Client().get("/api/v1/docs/", headers={"accept-language": "en"}).content.decode()
    assert "<h1>Hemei API" in english and "List tasks" in english
    # the document itself stays as declared
    assert openapi["info"]["title"] == "Hemei API"
    assert openapi["paths"]["/api/v1/tasks/"]["get"]["summary"] == "List tasks"


HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
#: an operation's description, and the last cell of a parameter's or a field's row
DESCRIPTION = re.compile(
    r'<div class="helptext">(.*?)</div>|<td data-label="[^"]*">((?:(?!</td>).)*)</td></tr>', re.S
)


def shown_descriptions(page: str) -> list[str]:
    """The descriptions of the operations, parameters and schema fields, in page order."""
    body = page.split("<h1>", 1)[1]
    return [first or second for first, second in DESCRIPTION.findall(body)]


def english_words(html: str) -> bool:
    """Whether the text says something in English (outside code: field names, `true`)."""
    text = re.sub(r"<code>.*?</code>|<[^>]+>", " ", html)
    return re.search(r"[A-Za-z]{2,}", text) is not None


@pytest.mark.django_db
def test_every_description_on_the_documentation_page_is_translated(openapi: dict[str, Any]):
    """Operations, parameters and schema fields are described in the interface language
    on the page, while the OpenAPI document stays in English."""
    chinese = shown_descriptions(Client().get("/api/v1/docs/").content.decode())
    english = shown_descriptions(
        Client().get("/api/v1/docs/", headers={"accept-language": "en"}).content.decode()
    )
    assert len(chinese) == len(english) > 200
    untranslated = [
        text for text, source in zip(chinese, english, strict=True)
        if english_words(source) and not HAN.search(text)
    ]  # fmt: skip
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert "<p>完成时限在此日期当天或之后。</p>" in chinese
    assert "<p>Deadline on or after this date.</p>" in english
    # the document served (whatever the caller's language) is the English one
    served = Client().get("/api/v1/openapi.json").json()
    assert served == openapi
    task = served["components"]["schemas"]["Task"]["properties"]
    assert task["progress"]["description"] == "Percent done (0–100)."
    assert task["state"]["description"].startswith("(not_started = not started;")
    operation = served["paths"]["/api/v1/tasks/"]["get"]
    assert operation["description"].startswith("Tasks in your area, soonest deadline first")
    assert operation["parameters"][0]["description"] == "Words in the title or description."
