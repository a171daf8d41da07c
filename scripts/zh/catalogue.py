"""Simplified Chinese for hemei/catalogue (清单制): the default catalogue, its workbook and the
names of the choices the workbook shows (清单类别, 发起人, 办理主体, 五公开)."""

ZH = {
    # choices: the workbook writes these names and reads them back
    "petty powers (小微权力)": "小微权力",
    "public services (公共服务)": "公共服务",
    "certificates (证明事项)": "证明事项",
    "negative list (负面清单)": "负面清单",
    "a villager or household applies": "村民（农户）申请",
    "the village starts it": "村级发起",
    "either": "均可",
    "applicant": "申请人",
    "villagers' group": "村民小组",
    "village committees": "村级组织",
    "county department": "县级部门",
    "content": "内容",
    "basis": "依据",
    "procedure": "程序",
    "progress": "进度",
    "result": "结果",
    # the workbook
    "(more for larger amounts)": "（金额较大的另加步骤）",
    "Sheet “%(sheet)s”, row %(row)d, column %(column)s: %(problem)s": (
        "工作表“%(sheet)s”第%(row)d行%(column)s列：%(problem)s"
    ),
    "Sheet “%(sheet)s” is empty.": "工作表“%(sheet)s”是空的。",
    "Sheet “%(sheet)s”: the first row must hold the columns %(columns)s; missing %(missing)s.": (
        "工作表“%(sheet)s”的第一行应为列名 %(columns)s；缺少 %(missing)s。"
    ),
    "The workbook needs the sheets %(sheets)s; missing %(missing)s.": (
        "工作簿须包含工作表 %(sheets)s；缺少 %(missing)s。"
    ),
    "At most %(n)s rows per sheet: split the catalogue.": (
        "每个工作表最多 %(n)s 行，请拆分清单后分批导入。"
    ),
    "The table has no items.": "表中没有事项。",
    "The number is empty.": "序号为空。",
    "Number %(code)s is already used on row %(row)d.": "序号 %(code)s 已在第%(row)d行使用。",
    "No item numbered “%(code)s” on the sheet “%(sheet)s”.": (
        "工作表“%(sheet)s”中没有序号为“%(code)s”的事项。"
    ),
    "Item %(code)s already has a step %(n)d.": "事项 %(code)s 已有第%(n)d步。",
    "Number the steps 1, 2, 3…": "步骤请按 1、2、3…… 编号。",
    "The step has no name.": "步骤名称为空。",
    "“%(value)s” is not one of: %(names)s.": "“%(value)s”不在可选范围内：%(names)s。",
    "“%(value)s” is not a whole number of days.": "“%(value)s”不是整数天数。",
    "Days must be from 0 to %(most)d.": "天数应在 0 至 %(most)d 之间。",
    "Write 是 or 否 (or leave it empty for 否).": "请填写“是”或“否”（留空视为“否”）。",
    "“%(value)s” is not an amount: write a plain number of yuan, such as 10000 or 10000.50 (no 万, no thousands separators).": (
        "“%(value)s”不是有效金额：请填写以元为单位的数字，如 10000 或 10000.50"
        "（不要写“万”，不要用千位分隔符）。"
    ),
    # installing the default catalogue
    "The default catalogue is installed for a county.": "默认清单只能为县（市、区）安装。",
}
