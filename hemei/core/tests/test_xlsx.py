import io

import openpyxl

from hemei.core.xlsx import render_xlsx


def test_text_that_looks_like_a_formula_stays_text() -> None:
    data = render_xlsx(
        title="名单",
        headers=["姓名", "备注"],
        rows=[["张三", '=HYPERLINK("http://x","点我")'], ["李四", 3]],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '=HYPERLINK("http://x","点我")'
    assert sheet["B3"].value == 3
