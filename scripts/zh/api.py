"""Simplified Chinese for hemei/api (数据接口)."""

ZH = {
    "API": "数据接口",
    "The data sent is not valid.": "提交的数据无效。",
    "%(method)s is not allowed here; use %(allowed)s.": "此处不允许 %(method)s 请求，请使用 %(allowed)s。",
    "You may not do this.": "您无权执行此操作。",
    "The request cannot be read.": "无法读取该请求。",
    "Not found, or not open to you.": "未找到，或不在您的权限范围内。",
    "The request body is too large.": "请求内容过大。",
    "The token is unknown or revoked.": "令牌无效或已撤销。",
    "Sign in, or send a personal token in the Authorization header.": (
        "请先登录，或在 Authorization 请求头中携带个人令牌。"
    ),
    "The CSRF check failed (%(reason)s); send the X-CSRFToken header.": (
        "CSRF 校验未通过（%(reason)s），请携带 X-CSRFToken 请求头。"
    ),
    "The body is empty; send a JSON object.": "请求内容为空，请发送一个 JSON 对象。",
    "Send the body as %(types)s.": "请以 %(types)s 格式发送请求内容。",
    "The body is not valid JSON (UTF-8 encoded).": "请求内容不是有效的 JSON（UTF-8 编码）。",
    "What the token is for.": "令牌的用途。",
    "starts with": "开头",
    "last used": "最近使用",
    "revoked": "已撤销",
    "API token": "接口令牌",
    "API tokens": "接口令牌",
    "This field may not be null.": "此项不能为 null。",
    "Expected a string.": "应为字符串。",
    "The text holds characters that cannot be stored.": "文本中含有无法保存的字符。",
    "This field may not be blank.": "此项不能为空。",
    "Use at least %(count)d characters.": "至少 %(count)d 个字符。",
    "Use at most %(count)d characters.": "最多 %(count)d 个字符。",
    "The value is not in the expected form.": "格式不正确。",
    "Choose one of: %(values)s.": "请从以下取值中选择：%(values)s。",
    "Expected a whole number.": "应为整数。",
    "Use a number of at least %(min)s.": "数值不能小于 %(min)s。",
    "Use a number of at most %(max)s.": "数值不能大于 %(max)s。",
    "Expected a number.": "应为数字。",
    "Use at most %(places)d decimal places.": "最多保留 %(places)d 位小数。",
    "Expected true or false.": "应为 true 或 false。",
    "Enter a date as YYYY-MM-DD.": "日期格式应为 YYYY-MM-DD。",
    "%(value)s is not a date.": "%(value)s 不是有效日期。",
    "Enter a date and time in ISO 8601.": "请按 ISO 8601 格式填写日期时间。",
    "Expected a JSON object.": "应为 JSON 对象。",
    "Expected a list.": "应为列表。",
    "At most %(count)d items.": "最多 %(count)d 项。",
    "Unknown field.": "未知字段。",
    "This field is required.": "此项为必填项。",
    "Nothing with the id %(id)s is open to you.": "编号为 %(id)s 的对象不存在，或不在您的权限范围内。",
    "Give the token a name, e.g. what script uses it.": "请为令牌命名，例如使用它的脚本名称。",
    "Only the owner may revoke a token.": "只有令牌的所有人可以撤销令牌。",
    "API documentation": "接口文档",
    "Schemas": "数据结构",
    "public": "公开",
    "Parameter": "参数",
    "In": "位置",
    "Type": "类型",
    "Body": "请求内容",
    "or a multipart form with files": "或带文件的 multipart 表单",
    "errors": "错误",
    (
        "A personal token lets a script use the API as you, with your roles and your area. "
        "Send it as <code>Authorization: Bearer …</code>. Keep it secret; revoke it when it "
        "is no longer needed."
    ): (
        "个人令牌让脚本以您的身份、按您的角色和管辖范围调用数据接口。"
        "请以 <code>Authorization: Bearer …</code> 方式发送。请妥善保管，不再需要时及时撤销。"
    ),
    "Your new token. Copy it now: it is shown only once.": "这是您的新令牌。请立即复制：它只显示这一次。",
    "e.g. weekly export script": "例如：每周导出脚本",
    "Create token": "创建令牌",
    "Starts with": "开头",
    "Created": "创建时间",
    "Last used": "最近使用",
    "No tokens yet.": "还没有令牌。",
    "A file of another report was named.": "所列文件属于另一份填报。",
    "Choose at least one file.": "请至少选择一个文件。",
    "Token %(name)s created.": "令牌 %(name)s 已创建。",
    "Token %(name)s revoked.": "令牌 %(name)s 已撤销。",
    "Explanation": "说明",
    "Returns": "返回",
    "Revoke token": "撤销",
    # Supervision, notifications and contact points (messages shared with those apps are
    # repeated here so this catalogue stands on its own).
    "Supervision is open to officials only.": "督查督办仅对工作人员开放。",
    "Only the task's lead leader may decide on an extension.": "只有任务的牵头领导可以审批延期。",
    "Contact points are open to officials only.": "联系点仅对工作人员开放。",
    "Only administrators may change contact points.": "只有管理员可以修改联系点。",
    "Give the task of a task link.": "联系任务须指明任务。",
    "Give the division's code.": "请填写区划代码。",
    "Choose a %(level)s.": "请选择一个%(level)s。",
    "A task link names a task; a town or village link does not.": (
        "联系任务须指明任务；包镇、联村不填任务。"
    ),
    "Attach one file to an answer.": "反馈只能附一个文件。",
    'Send either ids or "all": true.': '请发送 ids，或 "all": true，二者选其一。',
    "Something went wrong on the server; it has been logged. Try again later.": (
        "服务器出错了，已记录；操作没有完成，请稍后再试。"
    ),
    "The account is locked after too many failed logins; try again later.": (
        "账号因多次登录失败已被暂时锁定，请稍后再试。"
    ),
}
