"""Simplified Chinese for the interface's English message ids.

The shared catalogue (hemei/locale) holds the foundation's strings, this file's ZH; each
later app keeps its own catalogue (hemei/<app>/locale) and its words in scripts/zh/<app>.py.
Run `scripts/messages.sh [APP]`, which calls this file. (Needs `pip install polib`.)
"""

from __future__ import annotations

import sys
from pathlib import Path

ZH = {
    "Files of type %(suffix)s are not accepted; use %(types)s.": "不接受%(suffix)s类型的文件，请使用：%(types)s。",
    "The file is empty.": "文件是空的。",
    "The file is larger than %(limit)d MB.": "文件超过 %(limit)d MB。",
    "The file's content does not match its type %(suffix)s.": "文件内容与%(suffix)s类型不符。",
    # the one evidence check (hemei/core/evidence.py)
    "photos (JPEG, PNG, WebP), PDF, Word (.docx) and Excel (.xlsx)": (
        "照片（JPEG、PNG、WebP）、PDF、Word（.docx）和 Excel（.xlsx）"
    ),
    "%(name)s is %(size)s MB; a file may be at most %(limit)s MB.": (
        "“%(name)s”大小为 %(size)s MB，单个文件不能超过 %(limit)s MB。"
    ),
    "%(name)s is empty.": "“%(name)s”是空文件。",
    "%(name)s is a HEIC/HEIF photo, which cannot be read here. Upload it from the phone's "
    "browser (it converts the photo to JPEG), or set the camera to “Most compatible” (JPEG).": (
        "“%(name)s”是 HEIC/HEIF 格式的照片，系统无法读取。请用手机浏览器直接拍照或选择照片上传"
        "（会自动转为 JPEG），或将相机格式设为“兼容性最佳”（JPEG）。"
    ),
    "%(name)s is not a file of an accepted kind. Accepted: %(types)s.": (
        "“%(name)s”不是可接受的文件类型。可上传：%(types)s。"
    ),
    "%(name)s has too many pixels; a photo may have at most %(limit)d megapixels.": (
        "“%(name)s”像素过多；照片最多 %(limit)d 百万像素。"
    ),
    "The workbook unpacks to more than %(limit)s MB. Save it again in Excel, or split it into smaller files.": "工作簿解压后超过 %(limit)s MB，请在 Excel 中重新保存，或拆分为较小的文件。",
    "The sheet “%(sheet)s” has more than %(n)s rows: split it into smaller files.": "工作表“%(sheet)s”超过 %(n)s 行，请拆分为较小的文件。",
    ":": "：",
    ": ": "：",
    "My work": "我的工作",
    "Tasks": "任务",
    "Meetings": "会议",
    "Reviews": "审核",
    "My reports": "我的填报",
    "Supervision": "督办",
    "Rankings": "排名",
    "Overview": "总览",
    "Households": "户籍",
    "Points": "积分",
    "My points": "我家积分",
    "Notifications": "通知",
    "Open work": "在办工作",
    "red: overdue": "红灯：已逾期",
    "yellow: deadline near, behind time": "黄灯：临近时限、进度滞后",
    "green: on track": "绿灯：正常推进",
    "Task": "任务",
    "Deadline": "完成时限",
    "Progress": "进度",
    "industry revitalization": "产业振兴",
    "talent revitalization": "人才振兴",
    "culture revitalization": "文化振兴",
    "ecological revitalization": "生态振兴",
    "organizational revitalization": "组织振兴",
    "Accounts": "账号",
    "county administrator": "区县管理员",
    "leader": "领导",
    "department staff": "部门人员",
    "town official": "镇街干部",
    "village official": "村干部",
    "villager": "村民",
    "created": "新建",
    "changed": "修改",
    "deleted": "删除",
    "imported": "导入",
    "role granted": "授予角色",
    "role revoked": "收回角色",
    "Username": "用户名",
    "Full name": "姓名",
    "Phone": "手机",
    "Division code": "区划代码",
    "Where the person works, e.g. 370215100.": "所在区划的代码，例如 370215100。",
    "Role": "角色",
    "Unit": "单位",
    "Initial password": "初始密码",
    "Leave empty to keep the number on file.": "留空则保留原号码。",
    "Active": "启用",
    "New password": "新密码",
    "Excel file (.xlsx)": "Excel 文件（.xlsx）",
    "Choose an .xlsx file.": "请选择 .xlsx 文件。",
    "The file is larger than 5 MB.": "文件超过 5 MB。",
    "full name": "姓名",
    "phone": "手机",
    "home division": "所属区划",
    "The administrators of this division and above manage the account.": "由该区划及上级的管理员管理此账号。",
    "user": "用户",
    "users": "用户",
    "role": "角色",
    "division": "区划",
    "unit": "单位",
    "granted by": "授予人",
    "role assignment": "角色授予",
    "role assignments": "角色授予",
    "The user already holds this role here.": "该用户在此区划已有这个角色。",
    "Department staff must belong to a unit.": "部门人员必须属于一个单位。",
    "time": "时间",
    "by": "操作人",
    "by (name)": "操作人姓名",
    "action": "操作",
    "kind": "类别",
    "object": "对象",
    "description": "说明",
    "changes": "变更",
    "audit entry": "操作记录",
    "audit entries": "操作记录",
    "Your account holds no role yet; ask your administrator.": "您的账号还没有角色，请联系管理员。",
    "Only administrators may open this page.": "只有管理员可以打开此页面。",
    "Your role does not open this page.": "您的角色不能打开此页面。",
    "API tokens": "接口令牌",
    "You may not do this.": "您无权执行此操作。",
    "You may not do this here.": "您无权在此执行此操作。",
    "This can no longer be done: it has changed meanwhile.": "此事项已有变化，不能再这样办理。",
    "Only a system administrator may manage accounts without a division.": "只有系统管理员可以管理没有区划的账号。",
    "You do not administer %(division)s.": "您不是%(division)s的管理员。",
    "Enter a phone number of digits, e.g. 13905321234.": "请输入数字电话号码，例如 13905321234。",
    "Use 2 to 150 letters, digits or the characters . @ + - _.": "请使用 2 到 150 个字母、数字或 . @ + - _ 字符。",
    "The username %(name)s is taken.": "用户名“%(name)s”已被使用。",
    "You cannot deactivate your own account.": "不能停用自己的账号。",
    "A role is held on a division.": "角色必须授予在某个区划上。",
    "Unknown role.": "未知角色。",
    "A %(role)s is appointed on a %(levels)s, not on a %(level)s.": "%(role)s只能设在%(levels)s，不能设在%(level)s。",
    "The unit belongs to another area.": "该单位属于其他区域。",
    "You cannot take away your own administrator role.": "不能收回自己的管理员角色。",
    "The file is not an Excel workbook (.xlsx).": "文件不是 Excel 工作簿（.xlsx）。",
    "The sheet is empty.": "工作表是空的。",
    "Missing columns: %(columns)s.": "缺少列：%(columns)s。",
    "At most %(n)s rows per import.": "每次最多导入 %(n)s 行。",
    "The sheet has no users.": "工作表中没有用户。",
    "The username is empty.": "用户名为空。",
    "Username %(name)s is also on row %(row)s.": "用户名“%(name)s”与第 %(row)s 行重复。",
    "Unknown role %(role)s.": "未知角色“%(role)s”。",
    "No division with code %(code)s in your area.": "您管辖范围内没有代码为 %(code)s 的区划。",
    "No division named %(name)s in your area.": "您管辖范围内没有名为“%(name)s”的区划。",
    "Several divisions in your area are named %(name)s: %(which)s. Give its code.": "您管辖范围内有多个名为“%(name)s”的区划：%(which)s。请填写区划代码。",
    "Unknown unit %(unit)s.": "未知单位“%(unit)s”。",
    "Audit log": "操作日志",
    "Search person or object": "搜索操作人或对象",
    "Action": "操作",
    "all": "全部",
    "Kind": "类别",
    "From": "起",
    "To": "止",
    "Filter": "筛选",
    "Too many attempts": "尝试次数过多",
    "The account is locked after repeated failed logins. Try again in %(cooloff)s, or ask your administrator.": "多次登录失败，账号已被暂时锁定。请在 %(cooloff)s后再试，或联系管理员。",
    "%(count)d more try before the account is locked for %(cooloff)s.": "还可尝试 %(count)d 次，再失败账号将锁定 %(cooloff)s。",
    "%(count)d minute": "%(count)d 分钟",
    "%(count)d hour": "%(count)d 小时",
    "Log in": "登录",
    "Password": "密码",
    "Forgot your password? Ask your administrator to set a new one.": "忘记密码？请联系管理员重新设置。",
    "Time": "时间",
    "By": "操作人",
    "Object": "对象",
    "Changes": "变更内容",
    "Nothing matches.": "没有符合条件的记录。",
    "Division": "区划",
    "Roles": "角色",
    "inactive": "已停用",
    "New user": "新建用户",
    "Create": "创建",
    "Cancel": "取消",
    "Users": "用户",
    "Last login": "最近登录",
    "Revoke": "收回",
    "No role yet: the account can log in but sees nothing.": "尚无角色：账号可以登录，但看不到任何内容。",
    "Grant a role": "授予角色",
    "Grant": "授予",
    "Account": "账号信息",
    "Save": "保存",
    "Set a new password": "设置新密码",
    "Set password": "设置密码",
    "Import users": "导入用户",
    "Import users from Excel": "从 Excel 导入用户",
    "The first sheet is read; its first row names the columns:": "读取第一个工作表，第一行为列名：",
    "Download a template": "下载模板",
    "All rows are imported, or none: fix every problem listed and upload again.": "要么全部导入，要么一行也不导入：请改正列出的所有问题后重新上传。",
    "Import": "导入",
    "Nothing was imported. Problems:": "没有导入任何数据。问题如下：",
    "Row": "行",
    "Problem": "问题",
    "Search name or username": "搜索姓名或用户名",
    "State": "状态",
    "active": "启用中",
    "Import from Excel": "从 Excel 导入",
    "yes": "是",
    "no": "否",
    "Account %(name)s created.": "账号“%(name)s”已创建。",
    "Saved.": "已保存。",
    "Role granted.": "角色已授予。",
    "Password changed.": "密码已修改。",
    "Role revoked.": "角色已收回。",
    "Imported %(n)s users.": "已导入 %(n)s 个用户。",
    "Core": "基础",
    "created at": "创建时间",
    "updated at": "更新时间",
    "Home": "首页",
    "Hello, %(name)s": "您好，%(name)s",
    "System administrator: the whole country": "系统管理员：全国",
    "towns in your area": "辖区内乡镇（街道）",
    "villages in your area": "辖区内村（社区）",
    "units": "单位",
    "user accounts": "用户账号",
    "Your area": "您的辖区",
    "Villages": "村（社区）",
    "All %(total)s villages": "全部 %(total)s 个村（社区）",
    "Administration": "管理",
    "New unit": "新建单位",
    "Divisions": "行政区划",
    "province": "省",
    "city": "市",
    "county": "县（区）",
    "town": "乡镇（街道）",
    "village": "村（社区）",
    "renamed": "更名",
    "moved": "调整隶属",
    "closed": "已撤销",
    "reopened": "恢复",
    "code": "代码",
    "name": "名称",
    "level": "级别",
    "parent": "上级",
    "valid from": "启用日期",
    "Empty for divisions of the first table imported.": "首次导入的区划为空。",
    "valid to": "撤销日期",
    "Set when a newer table no longer lists the division (merged or abolished).": "新版区划表不再列出时（合并或撤销）填写。",
    "divisions": "行政区划",
    "The level must be one of the five official levels.": "级别必须是五级之一。",
    "A division cannot close before it opens.": "撤销日期不能早于启用日期。",
    "started at": "开始时间",
    "source": "来源",
    "limited to": "限定范围",
    "as of": "生效日期",
    "added": "新增",
    "unchanged": "未变",
    "division import": "区划导入",
    "division imports": "区划导入",
    "import": "导入批次",
    "on": "日期",
    "old value": "原值",
    "new value": "新值",
    "division change": "区划变更",
    "division changes": "区划变更",
    "closed %(day)s": "%(day)s 撤销",
    "listed since %(day)s": "%(day)s 起列入",
    "Below": "下级",
    "History": "变更历史",
    "Search name or code": "搜索名称或代码",
    "e.g. 田横 or 370215": "例如：田横或 370215",
    "Level": "级别",
    "children": "直接下级",
    "in force": "现行",
    "Name": "名称",
    "Code": "代码",
    "Parent code": "上级代码",
    "Closed on": "撤销日期",
    "Simplified Chinese": "简体中文",
    "English": "English",
    "Bad request": "请求有误",
    "The request could not be understood; nothing was changed.": "无法理解该请求，数据没有改变。",
    "Not allowed": "无权访问",
    "You may not open this page.": "您无权打开此页面。",
    "Back to the home page": "返回首页",
    "Not found": "未找到",
    "The page does not exist, or it lies outside the area you work in.": "页面不存在，或不在您的管辖范围内。",
    "Hemei": "和美",
    "Hemei rural revitalization platform": "和美乡村振兴工作平台",
    "rural revitalization": "乡村振兴",
    "Menu": "菜单",
    "Units": "单位",
    "Log out": "退出",
    "Export to Excel": "导出 Excel",
    "Pages": "分页",
    "Previous": "上一页",
    "Page %(number)s of %(total)s": "第 %(number)s / %(total)s 页",
    "Next": "下一页",
    "%(total)s row": "共 %(total)s 条",
    "More than %(total)s rows: narrow them with the filters.": "超过 %(total)s 条，请用筛选条件缩小范围。",
    "government department": "政府部门",
    "party organ": "党委部门",
    "task force": "工作专班",
    "other": "其他",
    "The county (or town) the unit belongs to, e.g. 370215.": "单位所属的区县（或乡镇）代码，例如 370215。",
    "short name": "简称",
    "note": "备注",
    "A unit with this name already exists here.": "此区划已有同名单位。",
    "Short name": "简称",
    "Edit": "编辑",
    "Search": "搜索",
    "Unit %(name)s created.": "单位“%(name)s”已创建。",
    "Unit %(name)s saved.": "单位“%(name)s”已保存。",
    "The list has more than %(limit)s rows; narrow it with the filters first.": "列表超过 %(limit)s 行，请先用筛选条件缩小范围。",
}


def all_words(app: str | None = None) -> dict[str, str]:
    """The words for one catalogue: its own first, then the foundation's, then the others'.

    At run time Django merges every catalogue into one: the shared one (hemei/locale) wins,
    then the apps in INSTALLED_APPS order. So one English msgid has one Chinese everywhere;
    where a word must read differently in one place, give it a context
    (``pgettext("points", "Household")``, ``{% translate "Household" context "points" %}``)
    or a more specific msgid. Filling each catalogue from its own words first keeps the
    files honest about what each app meant.
    """
    import importlib.util

    per_app: dict[str, dict[str, str]] = {}
    for module_path in sorted((Path(__file__).resolve().parent / "zh").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"zh_{module_path.stem}", module_path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        per_app[module_path.stem] = module.ZH
    words: dict[str, str] = {}
    for name, table in per_app.items():
        if name != app:
            words.update(table)
    words.update(ZH)
    words.update(per_app.get(app or "", {}))
    return words


def main() -> int:
    import polib

    root = Path(__file__).resolve().parent.parent
    locale_dir = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else root / "hemei/locale"
    path = locale_dir / "zh_Hans/LC_MESSAGES/django.po"
    app = locale_dir.parent.name if locale_dir.parent.name != "hemei" else None
    words = all_words(app)
    catalogue = polib.pofile(str(path))
    missing = []
    for entry in catalogue:
        if entry.msgid_plural:
            text = words.get(entry.msgid)
            if text:
                entry.msgstr_plural = {0: text}
            else:
                entry.msgstr_plural = {0: ""}
                missing.append(entry.msgid)
        elif entry.msgid in words:
            entry.msgstr = words[entry.msgid]
        else:
            entry.msgstr = ""  # not msgmerge's fuzzy guess, which would be compiled as if meant
            missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save()
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
