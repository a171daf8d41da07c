"""The default templates, the upload check and the sandbox (no database)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from hemei.documents.kinds import NOTICE, REFUSAL, REMEDY
from hemei.documents.registry import get_kind, kinds
from hemei.documents.rendering import (
    PersonalDataInNotice,
    TemplateFailed,
    check_no_personal_data,
    check_template,
    render_docx,
)

from .helpers import docx_with, texts, zip_bomb


def test_every_kind_has_a_default_that_renders_its_samples() -> None:
    keys = {kind.key for kind in kinds()}
    assert {"notice", "refusal", "points_notice"} <= keys
    for kind in kinds():
        data = check_template(kind.default_bytes(), kind.sample_context())
        document = Document(io.BytesIO(data))
        section = document.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        assert "（盖章）" in texts(data), kind.key
        assert "{{" not in texts(data) and "{%" not in texts(data), kind.key


def test_the_notice_is_filled_with_its_values_and_has_signature_and_seal_boxes() -> None:
    data = render_docx(NOTICE.default_bytes(), NOTICE.sample_context())
    document = Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "关于2026年度村级公益事业一事一议项目的公示"
    body = texts(data)
    for value in ("红花山村全体村民：", "2026年6月15日至2026年6月21日", "0532-88512345"):
        assert value in body
    items = document.tables[0]
    assert [cell.text for cell in items.rows[0].cells] == ["序号", "对象", "公示内容", "备注"]
    assert [cell.text for cell in items.rows[2].cells] == [
        "2",
        "路灯安装",
        "40盏，投资6万元",
        "一事一议",
    ]
    assert len(items.rows) == 3
    boxes = document.tables[1].rows[0].cells
    assert boxes[0].text.startswith("签字：王建国") and "2026年6月15日" in boxes[0].text
    assert boxes[1].text.startswith("（盖章）") and "红花山村村民委员会" in boxes[1].text
    assert document.styles["Normal"].font.name == "仿宋"


def test_a_notice_without_a_date_leaves_year_month_day_to_fill_by_hand() -> None:
    context = NOTICE.sample_context() | {"date": ""}
    boxes = Document(io.BytesIO(render_docx(NOTICE.default_bytes(), context))).tables[1]
    assert boxes.rows[0].cells[0].text.endswith("年　　月　　日")


def test_the_refusal_letter_states_reasons_basis_and_the_remedy() -> None:
    data = render_docx(REFUSAL.default_bytes(), REFUSAL.sample_context() | {"decision": "不予受理"})
    document = Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    assert lines[:3] == ["田横镇人民政府", "不予受理决定书", "田政宅不批字〔2026〕第3号"]
    body = texts(data)
    assert "王长福：" in body
    assert "不符合“一户一宅”的规定" in body
    assert "根据《中华人民共和国土地管理法》第六十二条第一款的规定" in body
    assert "申请不予受理。" in body
    assert REMEDY in body
    boxes = document.tables[0].rows[0].cells
    assert "签字：李明" in boxes[0].text and "（盖章）" in boxes[1].text


def test_values_are_escaped_not_read_as_word_markup() -> None:
    context = NOTICE.sample_context() | {"body": "A & B <w:p>不是标记</w:p>"}
    data = render_docx(NOTICE.default_bytes(), context)
    assert "A & B <w:p>不是标记</w:p>" in texts(data)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a template", "type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "doc"),
        (b"PK\x03\x04 broken zip", "type"),
        (zip_bomb(), "too_big"),
        (docx_with("{{ title"), "syntax"),
        (docx_with("{% for x in items %}"), "syntax"),
        (docx_with("{{ applicant_phone }}"), "undefined"),
        (docx_with("{{ title.__class__.__mro__ }}"), "forbidden"),
        (docx_with("{% set x = title %}{{ x }}"), "forbidden"),
        (docx_with("{{ range(5) }}"), "forbidden"),
        (docx_with("{{ 'x' * 100000 }}"), "forbidden"),
        (docx_with("{{ 9 ** 9 ** 9 }}"), "forbidden"),
        (docx_with("{{ '%099999999d' % 1 }}"), "forbidden"),
        (docx_with("{{ title.ljust(1000000000) }}"), "forbidden"),
        (docx_with("{{ '{:>999999999}'.format(title) }}"), "forbidden"),
        (docx_with("{{ title|center(1000000000) }}"), "forbidden"),
        (docx_with("{% autoescape false %}{{ body }}{% endautoescape %}"), "forbidden"),
        (
            docx_with(
                "{% for a in items %}{% for b in items %}{% for c in items %}"
                "{% endfor %}{% endfor %}{% endfor %}"
            ),
            "forbidden",
        ),
    ],
    ids=[
        "empty",
        "pdf",
        "old doc",
        "broken zip",
        "zip bomb",
        "unclosed tag",
        "unclosed loop",
        "unknown field",
        "python internals",
        "set",
        "range",
        "repeat",
        "power",
        "percent format",
        "method call",
        "str.format",
        "unsafe filter",
        "autoescape off",
        "loops three deep",
    ],
)
def test_an_upload_that_cannot_render_is_refused_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(TemplateFailed) as refused:
        check_template(data, NOTICE.sample_context())
    assert refused.value.code == code
    assert refused.value.messages[0]


def test_the_refusal_names_the_unknown_field_in_chinese() -> None:
    with pytest.raises(TemplateFailed) as refused:
        check_template(docx_with("{{ applicant_phone }}"), NOTICE.sample_context())
    assert refused.value.messages == ["模板使用了本文书没有的字段：applicant_phone。"]


def test_a_template_that_loads_an_outside_file_is_refused() -> None:
    document = Document()
    paragraph = document.add_paragraph("{{ title }}")
    paragraph.part.relate_to(
        "http://example.com/track.png",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
        is_external=True,
    )
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(TemplateFailed) as refused:
        check_template(out.getvalue(), NOTICE.sample_context())
    assert refused.value.code == "external"


def test_a_county_style_template_with_loops_two_deep_renders() -> None:
    template = docx_with(
        "{{ title }}",
        "{% for item in items %}{{ item.no }}.{% for key, value in item.items() %}"
        "{{ key }}={{ value }};{% endfor %}{% endfor %}",
        "{{ items|length }}项 {{ village|default('本村') }}",
    )
    body = texts(check_template(template, NOTICE.sample_context()))
    assert "1.no=1;subject=村内道路硬化;" in body
    assert "2项 红花山村" in body


@pytest.mark.parametrize(
    "value",
    [
        "370215199001011234",
        "身份证37021519900101123X号",
        "联系13905321001",
        "手机：13905321001。",
        "银行卡 6222 0212 3456 7890 123",
        "卡 6222-0212-3456-7890",
        "6222021234567890",
    ],
)
def test_a_notice_refuses_an_unmasked_id_or_mobile_number(value: str) -> None:
    context = NOTICE.sample_context()
    context["items"] = [
        *context["items"],
        {"no": "3", "subject": "张三", "content": value, "remark": ""},
    ]
    with pytest.raises(PersonalDataInNotice) as refused:
        check_no_personal_data(context)
    assert "items.3.content" in refused.value.messages[0]


@pytest.mark.parametrize(
    "value",
    [
        "370215********1234",
        "139****1001",
        "0532-88512345",
        "2026年6月15日",
        "最低生活保障申请（370215100214-2026-0001）",
    ],
)
def test_masked_numbers_and_landlines_pass_the_guard(value: str) -> None:
    check_no_personal_data(NOTICE.sample_context() | {"body": value})


def test_the_kinds_say_which_are_public_notices() -> None:
    assert NOTICE.public and get_kind("points_notice").public
    assert not REFUSAL.public


def test_health_words_are_a_persons_not_a_programmes() -> None:
    from hemei.documents.rendering import personal_data_in

    for text in ("该户因病致贫", "王某二级残疾", "持残疾证", "住院治疗", "残疾等级：三级"):
        assert personal_data_in(text) is not None, text
    for text in ("残疾人两项补贴发放情况", "城乡居民大病保险报销公示", "困难残疾人生活补贴"):
        assert personal_data_in(text) is None, text
