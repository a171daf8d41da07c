"""Simplified Chinese for hemei/api (数据接口)."""

ZH = {
    "Hemei API": "和美数据接口",
    'The JSON API of Hemei: meetings and their decisions, tasks, progress reports, rankings, supervision (orders, cards, extensions, the ladder), notifications, leaders\' contact points, and village procedures: catalogues (清单), cases (办件), decision records (四议两公开), public notices (公示) and village-affairs disclosure (村务公开). Lists marked so answer ``format=xlsx`` with the whole filtered list as an Excel workbook. Every answer is limited to the caller\'s area (division subtree): an object outside it is answered 404, exactly like a missing one. Authenticate with a personal token (`Authorization: Bearer hm_…`, created on the API tokens page) or, from the browser, with the session and its CSRF token on writes. Errors are JSON: `{"error": {"code": …, "message": …, "fields": {path: [messages]}}}`.': (
        "和美的 JSON 数据接口：会议及其决策事项、任务、进度填报、排名、督办（督办单、亮牌、延期申请、"
        "督办阶梯）、通知、领导联系点，以及村级事务：事项清单、办件、四议两公开决策记录、公示和村务公开。标明可导出的列表"
        "加 ``format=xlsx`` 即以 Excel 工作簿返回筛选后的整个列表。每个应答都限于调用者的管辖范围（区划子树）："
        "范围外的对象与不存在的对象一样，"
        "应答 404。认证方式：个人令牌（`Authorization: Bearer hm_…`，在“接口令牌”页面创建），"
        "或在浏览器中使用登录会话，写操作须带 CSRF 令牌。错误以 JSON 返回："
        '`{"error": {"code": …, "message": …, "fields": {path: [messages]}}}`。'
    ),
    "The OpenAPI 3.1 document": "OpenAPI 3.1 文档",
    "The API documentation page": "接口文档页面",
    "Documentation": "文档",
    "query": "查询参数",
    "path": "路径",
    "array of %(type)s": "%(type)s 数组",
    "List leaders' contact points": "列出领导联系点",
    "Add a contact point": "添加联系点",
    "Show a contact point": "查看联系点",
    "Remove a contact point": "删除联系点",
    "List meetings": "列出会议",
    "Record a meeting": "登记会议",
    "Show a meeting": "查看会议",
    "Change a meeting": "修改会议",
    "Add a decision": "添加决策事项",
    "List your notifications": "列出我的通知",
    "Count your unread notifications": "统计未读通知",
    "Mark notifications read": "将通知标为已读",
    "List progress reports": "列出进度填报",
    "List a task's reports": "列出任务的进度填报",
    "Write a progress report": "填报进度",
    "Show a progress report": "查看进度填报",
    "Change a draft report": "修改草稿填报",
    "Upload evidence": "上传佐证材料",
    "Submit a report": "提交填报",
    "Approve a report": "审核通过填报",
    "Return a report": "退回填报",
    "Download an evidence file": "下载佐证文件",
    "List rankings": "列出排名",
    "Compute a ranking": "计算排名",
    "Show a ranking": "查看排名",
    "Ask for the circular": "申请生成通报",
    "Follow a circular export": "查看通报生成进度",
    "Download a circular or workbook": "下载通报或工作簿",
    "List supervision orders": "列出督办单",
    "Show a supervision order": "查看督办单",
    "Issue a supervision order": "发督办单",
    "Answer a supervision order": "反馈督办单",
    "Close a supervision order": "办结督办单",
    "Send an answer back": "退回反馈",
    "Download an answer's attachment": "下载反馈附件",
    "List cards": "列出亮牌",
    "List extension requests": "列出延期申请",
    "Show an extension request": "查看延期申请",
    "Request an extension": "申请延期",
    "Decide an extension request": "审批延期申请",
    "Show a county's ladder": "查看区县督办阶梯",
    "Replace a county's ladder": "更新区县督办阶梯",
    "List tasks": "列出任务",
    "Create a task": "新建任务",
    "Show a task": "查看任务",
    "Change a task": "修改任务",
    "Fan a task out": "分解任务",
    "API": "数据接口",
    "The data sent is not valid.": "提交的数据无效。",
    "%(method)s is not allowed here; use %(allowed)s.": "此处不允许 %(method)s 请求，请使用 %(allowed)s。",
    "You may not do this.": "您无权执行此操作。",
    "Your role does not open this part of the API.": "您的角色不能使用这部分接口。",
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
    "Token %(name)s created.": "令牌“%(name)s”已创建。",
    "Token %(name)s revoked.": "令牌“%(name)s”已撤销。",
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
    # The documentation page (/api/v1/docs/): the descriptions of operations, parameters and
    # schema fields (the OpenAPI document itself stays English).
    "Page number, from 1.": "页码，从 1 开始。",
    "Rows per page (default {default}; larger than {largest} is capped).": (
        "每页行数（默认 {default}，超过 {largest} 按 {largest} 计）。"
    ),
    "Rows matching the filters.": "符合筛选条件的总行数。",
    "URL of the next page.": "下一页的 URL。",
    "URL of the previous page.": "上一页的 URL。",
    "A stable code: invalid, bad_json, not_found, …": "固定的错误代码：invalid、bad_json、not_found 等。",
    "What went wrong, for people (Chinese by default).": "给人看的错误说明（默认为中文）。",
    "Messages per field path (e.g. milestones.0.due_on).": (
        "按字段路径列出的错误信息（例如 milestones.0.due_on）。"
    ),
    "The input is not valid: bad JSON, a wrong type, an unknown field.": (
        "输入无效：JSON 格式错误、类型不对或含有未知字段。"
    ),
    "No credentials, or a token that is unknown or revoked.": "未提供凭据，或令牌无效、已撤销。",
    "No role, no right to this action, or a failed CSRF check.": (
        "没有角色、无权执行此操作，或 CSRF 校验未通过。"
    ),
    "Missing, or outside your area (the same answer).": "对象不存在，或不在您的管辖范围内（两者应答相同）。",
    "The body is not sent as JSON.": "请求内容不是以 JSON 格式发送的。",
    "A personal API token (hm_…), created on the API tokens page.": (
        "个人接口令牌（hm_…），在“接口令牌”页面创建。"
    ),
    "The browser session; writes also need the X-CSRFToken header.": (
        "浏览器登录会话；写操作还须携带 X-CSRFToken 请求头。"
    ),
    "The files sent with the form (the operation says which are accepted).": (
        "随表单发送的文件（可接受的类型见各操作说明）。"
    ),
    "; ": "；",
    "%(description)s (%(choices)s)": "%(description)s（%(choices)s）",
    "(%(choices)s)": "（%(choices)s）",
    "Official division code.": "统计用区划代码。",
    "Full name (phones are never sent).": "姓名（不返回手机号）。",
    "A person's id.": "人员编号。",
    "A unit's id.": "单位编号。",
    "A division code inside your area.": "您管辖范围内的区划代码。",
    "This API's description, written from the same declarations that check the input.": (
        "本接口的说明文档，与校验输入的声明出自同一处。"
    ),
    "The OpenAPI document as a page for people, in the interface language.": (
        "以界面语言呈现、供人阅读的 OpenAPI 文档页面。"
    ),
    "The key task, for a task link.": "包项目联系点对应的重点任务。",
    "A leader's id.": "领导的人员编号。",
    "The town or village (not for a task link).": "所包的镇街或所联的村（包项目时不填）。",
    "The key task (task links).": "重点任务（包项目时填写）。",
    "Links at this division or below it.": "该区划及其下级区划的联系点。",
    "Links to this task.": "联系该任务的联系点。",
    "Contact points at divisions in your area, by leader.": "您管辖范围内各区划的联系点，按领导排列。",
    "Link a leader to a town (包镇), a village (联村) or a key task (包项目; give ``task``, its division is taken). Administrators of the division only.": (
        "为领导设置联系点：包镇、联村或包项目（包项目须填写 ``task``，区划取该任务所在区划）。"
        "仅限该区划的管理员。"
    ),
    "One contact point.": "一个联系点。",
    "Remove it (administrators of its division only). Answers 204 with no body.": (
        "删除该联系点（仅限其所在区划的管理员）。成功时应答 204，无内容。"
    ),
    "A theme value, or empty.": "主题取值，可为空。",
    "Responsible units as written in the meeting.": "会上确定的责任单位（原文）。",
    "The deadline as written.": "完成时限（原文）。",
    "Tasks made from it (in your area).": "由该决策事项分解出的任务数（限您的管辖范围）。",
    "Download (signed-in browser session).": "下载地址（须在浏览器中登录）。",
    "The organizing division (its level = level).": "召开会议的区划（其层级与 level 一致）。",
    "Words in the name or place.": "会议名称或地点中的关键词。",
    "Meetings held by this division or below it.": "该区划及其下级区划召开的会议。",
    "Held on or after this date.": "在此日期当天或之后召开。",
    "Held on or before this date.": "在此日期当天或之前召开。",
    "Meetings of your area and those held above it (they deploy its work), newest first.": (
        "您管辖范围内的会议，以及上级召开、部署本级工作的会议，最新的在前。"
    ),
    "A meeting with its decisions (numbered in the order sent), at a division you manage.": (
        "在您管理的区划登记一次会议及其决策事项（按发送顺序编号）。"
    ),
    "The meeting with its decisions and how many tasks each became.": (
        "会议及其决策事项，以及每项决策分解出的任务数。"
    ),
    "Change the fields sent (managers of the meeting's division).": (
        "修改所发送的字段（限会议所在区划的管理人员）。"
    ),
    "Append a decision to the meeting (numbered after the last one).": (
        "为会议追加一项决策事项（编号接在最后一项之后）。"
    ),
    "What it is about: reminder, yellow_card, supervision_order…": (
        "通知类别：reminder、yellow_card、supervision_order 等。"
    ),
    "The page it points to (may be empty).": "通知指向的页面（可为空）。",
    "Notifications marked read by this call.": "本次调用标为已读的通知数。",
    "Unread notifications left.": "剩余的未读通知数。",
    "Your notifications to mark read.": "要标为已读的通知（须为您本人的通知）。",
    "true: mark every notification of yours read.": "为 true 时，将您的全部通知标为已读。",
    "Only unread notifications (true) or read ones.": "true 只看未读通知，false 只看已读通知。",
    "Your own notifications: unread first, then newest first.": (
        "您本人的通知：未读的在前，其余按时间从新到旧。"
    ),
    "The number the top bar shows.": "顶栏显示的未读通知数。",
    'Send ``ids`` (some of yours) or ``"all": true`` (every one); one of the two. An id that is not one of your notifications is refused and nothing is marked.': (
        '发送 ``ids``（您的部分通知）或 ``"all": true``（全部通知），二者选其一。'
        "若某个编号不是您的通知，请求将被拒绝，任何通知都不会被标记。"
    ),
    "Files already used on another report.": "已在其他填报中用过的文件数。",
    "The file name as uploaded.": "上传时的文件名。",
    "From the photo's EXIF.": "取自照片的 EXIF 信息。",
    "The evidence this exact file was first.": "该文件首次出现时的佐证材料编号。",
    "Download the file (same authentication).": "下载该文件（认证方式相同）。",
    "What the author and reviewer should know.": "填报人和审核人应当注意的事项。",
    "A milestone of the task.": "该任务的一个节点。",
    "Milestones this report says were reached.": "本次填报所称已完成的节点。",
    "The task's progress now (0–100).": "任务当前进度（0–100）。",
    "What was done.": "已完成的工作。",
    "Submit at once instead of keeping a draft.": "立即提交，不保存为草稿。",
    "Why it goes back.": "退回原因。",
    "Words in the task title, the text or the author.": "任务名称、填报内容或填报人中的关键词。",
    "Reports on this task.": "该任务的填报。",
    "Only reports you may approve or return.": "只看您可以审核通过或退回的填报。",
    "Only your own reports.": "只看您本人的填报。",
    "Reports on tasks in your area, newest first; drafts only your own. With ``to_review=true``, the reports waiting for you (your review queue).": (
        "您管辖范围内任务的进度填报，最新的在前；草稿只列您本人的。"
        "带 ``to_review=true`` 时，列出等待您审核的填报（即您的待审核队列）。"
    ),
    "The reports on one task, newest first (404 for a task outside your area).": (
        "某一任务的进度填报，最新的在前（任务不在您的管辖范围内时应答 404）。"
    ),
    "A draft report on the task (submitted at once with ``submit``). Send JSON, or a multipart form with the same fields and the evidence as ``files`` (photos as JPEG, PNG or WebP; PDF, .docx, .xlsx; at most 20 files of 10 MB).": (
        "为任务填写一份草稿填报（带 ``submit`` 时立即提交）。可发送 JSON，"
        "也可发送 multipart 表单：字段相同，佐证材料放在 ``files`` 中"
        "（照片为 JPEG、PNG 或 WebP，文档为 PDF、.docx、.xlsx；最多 20 个文件，每个不超过 10 MB）。"
    ),
    "The report with its milestones, its evidence (EXIF time and place, duplicates flagged) and the warnings the reviewer sees.": (
        "填报及其节点、佐证材料（含 EXIF 时间和地点，并标出重复文件），以及审核人看到的提示。"
    ),
    "Change a draft or returned report (its author only); ``remove_evidence`` takes files off it.": (
        "修改草稿或已退回的填报（仅限填报人）；``remove_evidence`` 用于移除文件。"
    ),
    "Add photos or documents (multipart ``files``) to a draft or returned report. An exact duplicate of a file used on another report is kept and flagged.": (
        "为草稿或已退回的填报添加照片或文档（multipart 表单的 ``files``）。"
        "与其他填报中完全相同的文件会保留，并标为重复。"
    ),
    "Draft or returned → submitted (its author only); the reviewers are told.": (
        "草稿或已退回 → 已提交（仅限填报人）；同时通知审核人。"
    ),
    "Submitted → approved; the task's progress and milestones move (the only way they do). Reviewers: the managers above the task, or the county's administrators and leaders; never the author.": (
        "已提交 → 已批准；任务的进度和节点随之更新（这是更新它们的唯一途径）。"
        "审核人：任务上级的管理人员，或区县的管理员和领导；填报人本人不能审核。"
    ),
    "Submitted → returned (退回) with a reason; the author edits and submits again.": (
        "已提交 → 已退回，须写明原因；填报人修改后再次提交。"
    ),
    "The file, to those who see its report (404 otherwise).": (
        "文件本身，仅向能查看其填报的人提供（否则应答 404）。"
    ),
    "The county (towns ranked) or town (villages).": "区县（对镇街排名）或镇街（对村排名）。",
    "the towns of a county": "区县内各镇街",
    "the villages of a town": "镇街内各村",
    "Observed until (the day after the period, or today).": "统计截止日（周期结束后一天，或今天）。",
    "The weights the scores used.": "计算得分所用的权重。",
    "The circular's number, once issued.": "通报文号，生成通报后才有。",
    "Days.": "天数。",
    "Supervision orders received.": "收到的督办单数。",
    "Places gained.": "上升的名次。",
    "Download URL of the circular, when done.": "通报的下载地址，生成完成后提供。",
    "Download URL of the workbook, when done.": "工作簿的下载地址，生成完成后提供。",
    "A county (rank its towns) or a town (rank its villages).": (
        "区县（对其镇街排名）或镇街（对其村排名）。"
    ),
    "Any day of the period.": "周期内的任意一天。",
    "Rankings within this county or town.": "该区县或镇街范围内的排名。",
    "Periods starting on or after this date.": "开始于此日期当天或之后的周期。",
    "Periods starting on or before this date.": "开始于此日期当天或之前的周期。",
    "Stored rankings you may see (your county's towns; your town's villages), newest period first.": (
        "您可以查看的已保存排名（本区县各镇街、本镇街各村），最新周期在前。"
    ),
    "Rank the towns of a county (or the villages of a town) for the period containing ``period_start``; computing a period again replaces its rows. County administrators, and town officials for their own villages.": (
        "对 ``period_start`` 所在周期的区县内各镇街（或镇街内各村）进行排名；"
        "同一周期再次计算时替换原有结果。限区县管理员；镇街干部可对本镇街各村排名。"
    ),
    "The ranking with every town (or village): rank, score, the figures it came from, and the change since the period before.": (
        "排名及每个镇街（或村）的名次、得分、计算依据的数据，以及与上期相比的名次变化。"
    ),
    "Queue the circular (.docx) and workbook (.xlsx) of the ranking; the worker renders them. Follow the export until its state is done, then download.": (
        "将排名的通报（.docx）和工作簿（.xlsx）加入生成队列，由后台进程生成。"
        "请跟踪导出状态，直到状态为 done 后再下载。"
    ),
    "The export's state and, when done, its download links.": "导出的状态；完成后附下载地址。",
    "``fmt`` is docx (the circular) or xlsx (the workbook); 404 until the export is done.": (
        "``fmt`` 为 docx（通报）或 xlsx（工作簿）；导出完成前应答 404。"
    ),
    "The order's number (督办〔年〕号).": "督办单编号（督办〔年〕号）。",
    "What the order demands.": "督办要求。",
    "Awaiting a reply past its reply deadline.": "已超过反馈时限仍未反馈。",
    "URL of the attached file (same authentication).": "附件的地址（认证方式相同）。",
    "You may answer it now.": "您现在可以反馈。",
    "You may close it or send the answer back now.": "您现在可以办结或退回反馈。",
    "The ladder step that issued it (e.g. yellow_card+1).": "亮牌所依据的督办环节（例如 yellow_card+1）。",
    "The task's deadline when it was issued.": "亮牌时任务的完成时限。",
    "Days from the deadline (negative: before it; reminders only).": (
        "距完成时限的天数（负数表示时限之前，仅用于到期提醒）。"
    ),
    "For supervision orders: days to reply (1–90).": "用于督办单：反馈期限天数（1–90）。",
    "False: the default ladder applies.": "为 false 时使用默认督办阶梯。",
    "A note for the responsible side.": "给责任方的说明。",
    "The reply is due on this day (not in the past).": "反馈截止日期（不能早于今天）。",
    "The answer (反馈).": "反馈内容。",
    "What the answer lacks.": "反馈的不足之处。",
    "The new deadline, later than the current one.": "新的完成时限，须晚于当前时限。",
    "true: the deadline moves; false: refused.": "true 表示批准并调整完成时限，false 表示不予批准。",
    "Required when refusing.": "不予批准时必填。",
    "The whole ladder; empty: the default.": "完整的督办阶梯；为空时恢复默认。",
    "Words in the order number or the task title.": "督办单编号或任务名称中的关键词。",
    "Orders on this task.": "该任务的督办单。",
    "Only orders whose reply is overdue (true) or the others.": (
        "true 只看反馈已逾期的督办单，false 只看其余的。"
    ),
    "Orders on tasks at this division or below it.": "该区划及其下级区划任务的督办单。",
    "Words in the task title.": "任务名称中的关键词。",
    "Cards of this task.": "该任务的亮牌。",
    "Cards of tasks at this division or below it.": "该区划及其下级区划任务的亮牌。",
    "Requests on this task.": "该任务的延期申请。",
    "Requests on tasks at this division or below it.": "该区划及其下级区划任务的延期申请。",
    "Only pending requests waiting for your decision.": "只看等待您审批的申请。",
    "Orders on tasks in your area: awaiting a reply first, then answered, then closed; soonest reply deadline first.": (
        "您管辖范围内任务的督办单：待反馈的在前，其次是已反馈、已办结；同类中反馈时限早的在前。"
    ),
    "The order with its answers, and what you may do with it now.": (
        "督办单及其反馈情况，以及您现在可以进行的操作。"
    ),
    "A supervision order issued by hand on the task (its supervisors only: the managers above it, never the people it supervises). The responsible side is told.": (
        "对任务人工发出督办单（仅限督办方：任务上级的管理人员，被督办的人员不能发出）。"
        "同时通知责任方。"
    ),
    "The responsible side answers (反馈); the order becomes answered and the issuer is told. A closed order takes no answer. Send JSON, or a multipart form with ``text`` and one attached file as ``files`` (PDF, Word, Excel, image or text; at most 20 MB).": (
        "责任方反馈；督办单变为已反馈，并通知发出人。已办结的督办单不能再反馈。"
        "可发送 JSON，也可发送 multipart 表单：含 ``text``，并在 ``files`` 中附一个文件"
        "（PDF、Word、Excel、图片或文本，不超过 20 MB）。"
    ),
    "The supervisor accepts the answer: answered → closed.": "督办方认可反馈：已反馈 → 已办结。",
    "The answer is not enough: answered → awaiting reply again, with the reason.": (
        "反馈不到位：已反馈 → 重新待反馈，并写明原因。"
    ),
    "The file attached to an answer, to those who see its order (404 otherwise).": (
        "反馈所附的文件，仅向能查看其督办单的人提供（否则应答 404）。"
    ),
    "Yellow and red cards (黄牌/红牌) of tasks in your area, newest first.": (
        "您管辖范围内任务的黄牌和红牌，最新的在前。"
    ),
    "Extension requests (延期申请) on tasks in your area, pending ones first.": (
        "您管辖范围内任务的延期申请，待审批的在前。"
    ),
    "One extension request.": "一份延期申请。",
    "The responsible side asks for a later deadline; the task's lead leader (or, without one, the county's administrators) is told. One pending request per task.": (
        "责任方申请推迟完成时限；同时通知任务的牵头领导（没有牵头领导时通知区县管理员）。"
        "每个任务同时只能有一份待审批的申请。"
    ),
    "Approve (the deadline moves and the ladder starts afresh) or refuse with a note. The task's lead leader decides (never its requester); without one, or when the lead leader asked, a county administrator over the task.": (
        "批准（完成时限随之调整，督办阶梯重新计算）或不予批准并写明意见。"
        "由任务的牵头领导审批（申请人本人不能审批）；没有牵头领导或申请人就是牵头领导时，"
        "由任务所在区县的管理员审批。"
    ),
    "The escalation ladder the county's tasks climb (reminders, cards, orders), the default one when none is configured. Officials of the county and below may read it.": (
        "区县任务逐级升级的督办阶梯（到期提醒、亮牌、督办单）；未配置时为默认阶梯。"
        "本区县及下级的工作人员均可查看。"
    ),
    "The whole ladder at once (county administrators); an empty list restores the default. The tasks' next sweep climbs the new ladder.": (
        "一次提交完整的督办阶梯（限区县管理员）；空列表表示恢复默认。"
        "任务在下一次巡检时按新阶梯升级。"
    ),
    "Percent done (0–100).": "完成百分比（0–100）。",
    "Deadline (完成时限).": "完成时限。",
    "The kind, in the interface language.": "事件类别，以界面语言表示。",
    "Share in the parent's progress.": "在上级任务进度中所占的权重。",
    "Default 1.": "默认为 1。",
    "A program's id.": "专项编号。",
    "A meeting's id.": "会议编号。",
    "A decision's id.": "决策事项编号。",
    "Where the work is done.": "任务所在区划。",
    "Parent task's id.": "上级任务编号。",
    "Towns (4) or villages (5); default: one level below the task.": (
        "镇街（4）或村（5）；默认为任务所在区划的下一级。"
    ),
    "Only these divisions (default: all).": "只分解到这些区划（默认为全部）。",
    "Words in the title or description.": "任务名称或任务内容中的关键词。",
    "A unit's id: as lead unit or co-operating unit.": "单位编号：作为牵头单位或配合单位。",
    "Tasks at this division or below it.": "该区划及其下级区划的任务。",
    "Subtasks of this task.": "该任务的子任务。",
    "Key tasks only (true) or others only (false).": "true 只看重点任务，false 只看非重点任务。",
    "Deadline on or after this date.": "完成时限在此日期当天或之后。",
    "Deadline on or before this date.": "完成时限在此日期当天或之前。",
    "Only tasks you answer for (leader, responsible, your unit).": (
        "只看由您负责的任务（牵头领导、责任人或您所在单位）。"
    ),
    "Tasks in your area, soonest deadline first, with the filters of the task list page.": (
        "您管辖范围内的任务，完成时限早的在前；筛选条件与任务列表页面相同。"
    ),
    "A task (or a subtask of ``parent``) at a division you manage, with its milestones.": (
        "在您管理的区划新建任务（或 ``parent`` 的子任务），连同其节点。"
    ),
    "The task with its milestones, subtasks (one row each) and full timeline.": (
        "任务及其节点、子任务（每个一行）和完整的时间线。"
    ),
    "Change the fields sent; the others keep their values. Progress moves only by approved reports.": (
        "修改所发送的字段，其余字段保持不变。进度只能通过审核通过的填报更新。"
    ),
    "One subtask per town (or per village of a town) below the task. Divisions that have their part already are skipped: running it twice adds nothing (and answers 200).": (
        "为任务下的每个镇街（或某镇街的每个村）各建一个子任务。已有子任务的区划会跳过："
        "重复执行不会新增任何任务（并应答 200）。"
    ),
    "xlsx: the whole filtered list (every page, the list page's columns) as an Excel workbook instead of one page of JSON.": "xlsx：以 Excel 工作簿导出筛选后的整个列表（全部页，列与列表页面相同），而不是一页 JSON。",
    "The case number (village-year-serial).": "办件编号（村-年份-序号）。",
    "What the case is about.": "办件事由。",
    "The step in hand.": "当前办理环节。",
    "The step's deadline.": "本环节的办理期限。",
    "The light of the step in hand (empty when not running).": "当前环节的亮灯（未在办理时为空）。",
    "The linked 四议两公开 record.": "关联的四议两公开决策记录。",
    "Left after its deadline.": "超过期限才办结。",
    "Why it was refused or withdrawn.": "不予办理或撤回的理由。",
    "The steps its amount selects.": "按其金额应走的环节。",
    "Material attached on the pages (downloaded there).": "在页面上添加的材料（在页面上下载）。",
    "You take the step in hand now.": "当前环节由您办理。",
    "The linked record carries a passed resolution.": "关联的决策记录已有通过的决议。",
    "Who signs.": "签署人。",
    "The village the case is of.": "办件所属的村。",
    "The item's number in the village's catalogue in force.": "事项在本村现行清单中的编号。",
    "The matter.": "事项。",
    "The number of the household that applies, if any.": "申请户的户号（如有）。",
    "Yuan, when the item's thresholds need it.": "金额（元），事项按金额分流时必填。",
    "The seal is on the form.": "表上已盖章。",
    "Default: today; never in the future.": "默认今天；不能晚于今天。",
    "An earlier step's position.": "之前某一环节的序号。",
    "The reasons, sent to the applicant in writing.": "理由，以书面形式告知申请人。",
    "At most the extension the step allows, once.": "不超过本环节允许的延期天数，仅限一次。",
    "A decision record's id (四议两公开) of the case's village.": "本村四议两公开决策记录的编号。",
    "Words in the number, matter, applicant or item.": "编号、事由、申请人或事项中的词语。",
    "Cases of this division or below it.": "该区划及其下级的办件。",
    "The item's name.": "事项名称。",
    "The step's light, or past its deadline.": "当前环节的亮灯，或已超期。",
    "List cases": "列出办件",
    "Cases of your area, newest first, with the filters of the case list page; ``format=xlsx`` exports them.": "您管辖范围内的办件，最新的在前，筛选条件与办件列表页面相同；``format=xlsx`` 导出。",
    "Start a case": "发起办件",
    "A case of an item of the village's catalogue in force, for a household of the village or for the village itself. Materials are added on the case page.": "按本村现行清单中的事项发起办件，申请人为本村农户或村集体。材料在办件页面上添加。",
    "Show a case": "查看办件",
    "The case with its path, every step record (opinion, signer, seal, date), its timeline and the names of its files.": "办件及其流程、每个环节的办理记录（意见、签署人、盖章、日期）、时间线和文件名称。",
    "Pass the step in hand": "通过当前环节",
    "The office of the step agrees and signs; the case moves to its next step or is completed. A step that needs 四议两公开 passes only with a linked record whose resolution passed.": "本环节的办理单位同意并签署；办件进入下一环节或办结。须经四议两公开的环节，只有关联了决议已通过的决策记录才能通过。",
    "Return a case to an earlier step": "退回办件到之前的环节",
    "补正 or a new review: back to an earlier step of its path.": "补正或重新审查：退回到流程中之前的环节。",
    "Refuse a case": "不予办理",
    "不予办理: the office of the step refuses in writing; the refusal letter is on the case page.": "不予办理：本环节的办理单位书面说明理由；告知书在办件页面上下载。",
    "Withdraw a case": "撤回办件",
    "The village withdraws the case for the applicant, with why.": "村为申请人撤回办件，并说明理由。",
    "Pause a case's clock": "暂停办件计时",
    "Stop the step's clock (and its supervision) with the reason.": "暂停本环节的计时（及其督办），并说明理由。",
    "Resume a case's clock": "恢复办件计时",
    "Start the clock again with the days that were left.": "按剩余天数重新开始计时。",
    "Extend the step in hand": "当前环节延期",
    "延期: more days, once per step, within what the item allows.": "延期：每个环节一次，不超过事项允许的天数。",
    "The 四议两公开 record of the village that approved this case's matter.": "批准本办件事项的本村四议两公开决策记录。",
    "A template published by a town or county (else a village's).": "镇或区县发布的范本（否则为村的清单）。",
    "The version it was drafted from.": "起草时依据的版本。",
    "The time limit.": "办理时限。",
    "Extension allowed.": "允许延期的天数。",
    "A county time limit that replaces the days when in force.": "区县设定的时限，生效时取代这里的天数。",
    "Public notice (0: none).": "公示天数（0：不公示）。",
    "Needs a 四议两公开 resolution.": "须经四议两公开决议。",
    "On the path from this amount (inclusive).": "金额达到此数（含）时走此环节。",
    "On the path below this amount.": "金额低于此数时走此环节。",
    "Legal basis.": "法律依据。",
    "The amount a case gives when thresholds change its path.": "事项按金额分流时，办件须填写的金额。",
    "The division asked about.": "所查询的区划。",
    "Words in the name.": "名称中的词语。",
    "Templates only (true) or villages' catalogues only (false).": "只看范本（true）或只看村的清单（false）。",
    "Catalogues of this division or below it.": "该区划及其下级的清单。",
    "List catalogues": "列出事项清单",
    "Templates published at or above your area, then the villages' catalogues inside it.": "您的管辖范围及以上发布的范本，以及范围内各村的清单。",
    "Template": "范本",
    "Show a catalogue": "查看事项清单",
    "The catalogue with its versions you may see, newest first.": "清单及您可查看的各版本，最新的在前。",
    "Show a catalogue version": "查看清单版本",
    "The version with every item and each item's steps in order (the flow).": "该版本的全部事项及各事项按顺序排列的环节（运行流程）。",
    "Download a catalogue version as a workbook": "下载清单版本工作簿",
    "The version in the county offices' workbook (事项清单 and 运行流程 sheets), the same file the catalogue page exports and imports.": "以区县通用的工作簿格式（事项清单和运行流程两张表）导出该版本，与清单页面导出、导入的文件相同。",
    "Show a catalogue item": "查看清单事项",
    "One item (事项) with its steps in order.": "一个事项及其按顺序排列的环节。",
    "Show the negative list": "查看负面清单",
    "负面清单 in force for a village (its adopted version, else the newest template published above it); for a town or county code, the newest template. The code must lie inside your area or above it.": "村现行的负面清单（本村通过的版本，否则为上级最新发布的范本）；镇或区县代码则为最新的范本。代码须在您的管辖范围内或其上级。",
    "Area": "领域",
    "The meeting body.": "会议机构。",
    "A publication, not a meeting.": "公开环节，而非会议。",
    "The quorum and majority rule, in words.": "到会人数和表决规则的文字说明。",
    "Empty: the national process.": "为空：全国通用流程。",
    "Steps 1 and 2 may be one meeting (一肩挑).": "第 1、2 步可合并为一次会议（一肩挑）。",
    "The current step.": "当前环节。",
    "Why it was not passed.": "未通过的原因。",
    "Where to download it (same authentication).": "下载地址（认证方式相同）。",
    "It also stood for the next step.": "该会议同时作为下一环节。",
    "The outcome, in words.": "结果的文字说明。",
    "The rule it was judged by.": "据以判定的规则。",
    "What was approved (e.g. cases.case).": "所批准的对象（如 cases.case）。",
    "You may record its next step now.": "您现在可以登记其下一环节。",
    "The code of the village whose matter it is.": "事项所属村的代码。",
    "A decision process's id (see decision-processes).": "决策流程的编号（见 decision-processes）。",
    "The branch secretary is also the committee director: one meeting proposes and confers.": "村党组织书记兼任村委会主任：一次会议完成提议和商议。",
    "What was published.": "公开的内容。",
    "Words in the matter or description.": "事项或说明中的词语。",
    "Records of this division or below it.": "该区划及其下级的决策记录。",
    "List decision processes": "列出决策流程",
    "The processes in use: the national 四议两公开 and your county's variants, with their steps and rules.": "在用的决策流程：全国通用的四议两公开及本区县的变体，含各环节及其规则。",
    "Only those a record of this village may use.": "只列出该村的决策记录可用的流程。",
    "List decision records": "列出决策记录",
    "四议两公开 records of your area, newest first, with the filters of the list page; ``format=xlsx`` exports them.": "您管辖范围内的四议两公开决策记录，最新的在前，筛选条件与列表页面相同；``format=xlsx`` 导出。",
    "Create a decision record": "新建决策记录",
    "A village's major matter, on the first step of the chosen process (the village's officials and the county office).": "村级重大事项，从所选流程的第一步开始（由村干部和区县办公室登记）。",
    "Show a decision record": "查看决策记录",
    "The record with its process's steps, each meeting (attendance, votes, quorum and outcome, files), the publications and what it approved.": "决策记录及其流程各环节、每次会议（到会、表决、法定人数和结果、文件）、公开情况和所批准的对象。",
    "The meeting of the record's current step, judged by its rule: passed, the record moves on; quorum or vote failed, it stops as not passed. The minutes are required: send a multipart form with the fields, the ``minutes`` file (PDF, .docx or a photo) and up to 9 ``photos``.": "登记决策记录当前环节的会议，按其规则判定：通过则进入下一环节；到会人数或表决未达要求则记录为未通过。必须附会议记录：以 multipart 表单提交各字段、``minutes`` 文件（PDF、.docx 或照片）和最多 9 张 ``photos``。",
    "Publish a decision": "公开决议",
    "决议公开 or 实施结果公开 at the record's current step: when and what was published.": "在决策记录的当前环节登记决议公开或实施结果公开：公开的时间和内容。",
    "Download a meeting file": "下载会议文件",
    "The minutes or a photo of a meeting, to those who see its record.": "会议记录或照片，供可查看该决策记录的人下载。",
    "Decision records (四议两公开)": "决策记录（四议两公开）",
    "A step with a notice period posts a public notice: its text (default: the item and the applicant). Never ID, phone, bank or health details.": "有公示期的环节签署后发布公示，此为公示内容（默认为事项和申请人）。不得含身份证号、电话、银行账户或健康信息。",
    # public notices (hemei/api/v1/notices.py)
    "List public notices": "列出公示",
    "Public notices of your area, newest first, with the filters of the notice list page; ``format=xlsx`` exports them.": "管辖范围内的公示，最新的在前，筛选条件与公示列表页面相同；加 ``format=xlsx`` 导出。",
    "Post a public notice": "发布公示",
    "The village's own announcement (a notice without subject) from now for the days given; objections wait for the village's answer. Refused when the title or text shows an ID, phone or bank number or health details. Attachments are added on the pages, not through the API; a procedure's notices are posted by its step.": (
        "发布村里自己的公告（不关联办理事项的公示），自现在起公示所给天数；异议等待村里答复。"
        "标题或正文含身份证号、手机号、银行账号或健康信息的，不予发布。附件在页面上添加，不经数据接口；"
        "办理流程的公示由其环节发布。"
    ),
    "Show a public notice": "查看公示",
    "The notice with its period and outcome, the objections you may see with their answers, and the names of its attachments.": "公示及其公示期和结果、您可查看的异议及答复，以及附件名称。",
    "异议 while the notice runs. On a procedure's notice the matter goes back to the step that posted it; on an announcement the objection waits for the village's answer.": (
        "在公示期内提出异议。办理流程的公示，事项退回发布公示的环节；村里自己的公告，异议等待村里答复。"
    ),
    "The village's officials (or the county office) uphold or dismiss an open objection, with the reason.": "村干部（或区县管理员）对未答复的异议作出成立或不成立的答复，并说明理由。",
    "Withdraw a public notice": "撤回公示",
    "Take a running notice down, with the reason; a procedure's matter goes back to the step that posted it.": "撤下正在公示的公示并说明理由；办理流程的事项退回发布公示的环节。",
    "The villagers' group, when only one is concerned.": "仅涉及一个村民小组时的小组名称。",
    "What posted it: general (the village's own announcement) or the procedure.": "发布来源：general（村里自己的公告）或办理流程。",
    "The record it is about (e.g. cases.case:12); empty: none.": "所涉记录（如 cases.case:12）；为空表示无。",
    "The state in words, as the list page shows it.": "状态的文字说明，与列表页面所示相同。",
    "Posted and its period not yet passed.": "已发布且公示期未满。",
    "Those you may see.": "您可查看的。",
    "Their names; the files are read on the notice page.": "附件名称；文件在公示页面查看。",
    "You may raise an objection now.": "您现在可以提出异议。",
    "You may answer its objections.": "您可以答复其异议。",
    "You may withdraw it now.": "您现在可以撤回。",
    "The code of the village where it is posted.": "发布公示的村的区划代码。",
    "Only when it is posted within one villagers' group.": "仅在一个村民小组内公示时填写。",
    "Plain text; never ID, phone, bank or health details.": "纯文本；不得含身份证号、电话、银行账户或健康信息。",
    "How long it runs.": "公示期限。",
    "Default: calendar days.": "默认：自然日。",
    "Why you object.": "异议理由。",
    "true: the objector is right; false: dismissed, the notice stands.": "true：异议成立；false：异议不成立，公示继续有效。",
    "The reason, shown to the objector.": "答复理由，异议人可见。",
    "Why it is withdrawn.": "撤回理由。",
    "Words in the title, text or group.": "标题、正文或小组名称中的字词。",
    "What posted it (general, or a procedure's kind, e.g. points).": "发布来源（general，或办理流程的类别，如 points）。",
    "Notices of this division or below it.": "该区划及其下级的公示。",
    # village-affairs disclosure (hemei/api/v1/disclosure.py)
    "List disclosure catalogue items": "列出村务公开目录事项",
    "村务公开目录: the items you read (your county's, your town's, your villages' own), in force today unless ``all`` is given, with each periodic item's next due date; ``format=xlsx`` exports them in the office's sheet, the one the catalogue page imports.": (
        "村务公开目录：您可查看的事项（本区县、本镇街及所辖各村自己的），除非给出 ``all``，只列今天有效的，"
        "并附每个定期事项的下次公开时限；加 ``format=xlsx`` 按机关使用的表格导出，即目录页面可导入的表格。"
    ),
    "List disclosures": "列出村务公开",
    "What the villages of your area owe and have published, latest due first, with the filters of the disclosure list page and the lights; ``format=xlsx`` exports them.": (
        "管辖范围内各村应公开和已公开的事项，时限最晚的在前，筛选条件与村务公开列表页面相同，附亮灯；"
        "加 ``format=xlsx`` 导出。"
    ),
    "Show a disclosure": "查看村务公开",
    "The disclosure with its item's rule, its light, what was published and the names of its attachments.": "村务公开及其事项的时限规则、亮灯、公开内容和附件名称。",
    "Publish a disclosure": "登记公开",
    "The village's officials (or the county office) record what was posted and when; the duty on the supervision ladder closes. Refused when the text shows personal data or a field the item masks. Attachments are added on the disclosure page, not through the API.": (
        "村干部（或区县管理员）登记公开的内容和日期；督办阶梯上的对应任务随之办结。内容含个人信息或"
        "该事项须遮蔽的字段的，不予登记。附件在村务公开页面上添加，不经数据接口。"
    ),
    "Record an event to disclose": "登记须公开的事件",
    "A matter of an event item arose in a village (a resolution passed, a lease signed): its disclosure falls due within the item's working days and opens a duty. The same event recorded again answers the same disclosure.": (
        "村里发生了按事件公开的事项（决议通过、租赁签约等）：须在该事项规定的工作日内公开，并生成一项任务。"
        "同一事件再次登记，返回同一条公开记录。"
    ),
    "The village follows no item with this key on that day.": "该村当日执行的目录中没有此代码的事项。",
    "Show a town's disclosure overview": "查看镇街村务公开总览",
    "The town's villages × the items they follow, for the disclosures due in the year: counts (late, due, published, published late) and the worst light per item; ``format=xlsx`` exports the table. For towns and the county office.": (
        "镇街所辖各村 × 各村执行的事项，统计当年到期的公开：数量（逾期、待公开、已公开、逾期公开）及每个事项"
        "最差的亮灯；加 ``format=xlsx`` 导出该表。供镇街和区县使用。"
    ),
    "Default: this year.": "默认：今年。",
    "green: published on time": "绿灯：按时公开",
    "yellow: due": "黄灯：待公开",
    "red: late, or published late": "红灯：逾期未公开或逾期公开",
    "Whose catalogue: a county, a town or one village.": "所属目录：区县、镇街或某个村。",
    "What other modules name the item by.": "其他模块引用该事项所用的代码。",
    "Content and elements.": "公开内容及要素。",
    "The timing rule, as the catalogue says.": "公开时限，按目录原文。",
    "Fields shown only masked.": "只能遮蔽后显示的字段。",
    "The next period owed (periodic items).": "下一个应公开的期间（定期事项）。",
    "Why the next due date cannot be counted yet.": "暂时无法计算下次公开时限的原因。",
    "The event's day (event items).": "事件发生日期（按事件公开的事项）。",
    "The task that climbs the supervision ladder while it is owed.": "未公开期间按督办阶梯升级的任务。",
    "The item's timing rule.": "该事项的公开时限。",
    "Their names; the files are read on the disclosure page.": "附件名称；文件在村务公开页面查看。",
    "You may publish it now.": "您现在可以登记公开。",
    "Follows the catalogue from (empty: not yet).": "开始执行目录的日期（为空：尚未执行）。",
    "The worst light of the year per item, in the items' order.": "每个事项当年最差的亮灯，按事项顺序排列。",
    "Most late first, then those not following yet.": "逾期最多的在前，尚未执行目录的在后。",
    "Following the catalogue.": "已执行目录的村数。",
    "The day it was posted.": "张贴公开的日期。",
    "What was published. No ID-card, phone or bank numbers and no health details; mask them with asterisks.": "公开的内容。不得含身份证号、电话号码、银行账号和健康信息，须用星号遮蔽。",
    "The code of the village where the matter arose.": "事项发生的村的区划代码。",
    "The key of an event item the village follows.": "该村执行的按事件公开事项的代码。",
    "The day it arose; not in the future.": "发生日期；不能是将来的日期。",
    "Words in the item, its content or basis.": "事项名称、内容或依据中的字词。",
    "This division's own items and those of the divisions above it (for a village: its whole catalogue).": "该区划自己的事项及其上级区划的事项（对村而言即其完整目录）。",
    "true: also the items no longer or not yet in force (default: in force).": "true：也列出已失效或尚未生效的事项（默认只列有效的）。",
    "Words in the title, period, village or text.": "标题、期间、村名或公开内容中的字词。",
    "Disclosures of this division or below it.": "该区划及其下级的村务公开。",
    "The light today.": "今天的亮灯。",
    "A catalogue item's id.": "目录事项的 id。",
    "Due in this year.": "时限在该年内。",
    "Words of the period, e.g. 2026年3月.": "期间中的字词，如 2026年3月。",
    "The parcel number (宗地编号) in its village.": "宗地在本村的编号（宗地编号）。",
    "The household's number (户号), if any.": "所属户的户号（如有）。",
    "Measured in the CGCS2000 Gauss–Krüger zone; empty before it is outlined.": "按 CGCS2000 高斯－克吕格投影带测量；尚无图形时为空。",
    "As registered.": "台账登记的数值。",
    "The title certificate number.": "权属证书号。",
    "GeoJSON Polygon or MultiPolygon in CGCS2000 longitude and latitude; empty before it is outlined.": "GeoJSON 面（Polygon 或 MultiPolygon），CGCS2000 经纬度；尚无图形时为空。",
    "Yuan, for an exit.": "退出补偿金额（元）。",
    "Leased to a town resident or a business.": "租赁给城镇居民或企业。",
    "Parcels of this division or below it.": "该行政区划及其下级的宗地。",
    "Words in the parcel number, the household number or the address.": "宗地编号、户号或地址中的文字。",
    "List parcels": "宗地列表",
    "The parcels of your area with their geometry, with the filters of the register page.": "您所辖范围内的宗地及其图形，筛选条件与台账页面相同。",
    "Show a parcel": "查看宗地",
    "The parcel with its geometry and its record (idle, exit, leases: dates and kinds).": "宗地及其图形和记录（闲置、退出、出租的日期和方式）。",
    "Household register (户籍)": "户籍台账",
    "Governance points (积分制)": "乡村治理积分",
    "The household number (户号) in its village.": "本村内的户号。",
    "The head of household's name (may be empty).": "户主姓名（可能为空）。",
    "Members living in the household now.": "现有在户成员人数。",
    "false once the household moved out or was merged.": "户已迁出或已被合并时为 false。",
    "Masked as on the register's pages: the region and the last four characters.": "与户籍页面一样脱敏显示：只显示地区码和末四位。",
    "Masked as on the register's pages.": "与户籍页面一样脱敏显示。",
    "false once the member left.": "成员已离户时为 false。",
    "Linked to a villager's account.": "已关联村民账号。",
    "The other household of a split or merge.": "分户或合户所涉及的另一户。",
    "Current members first, then those who left.": "先列在户成员，再列已离户成员。",
    "Newest first.": "最新的在前。",
    "Households of this division or below it.": "该行政区划及其下级的户。",
    "A village group's id.": "村民小组的 ID。",
    "Words in the household number, its group or village, or a name.": "户号、村民小组、村名或成员姓名中的文字。",
    "yes: households now registered (default); no: ended ones; all: both.": "yes：现有在册户（默认）；no：已注销的户；all：全部。",
    "List households": "户籍列表",
    "The register of your area, by village and household number, with the filters of the register page; ``format=xlsx`` exports its members, one row per person in the import's columns, identity numbers and phones masked. For village affairs.": "您所辖范围内的户籍台账，按村和户号排列，筛选条件与户籍台账页面相同；``format=xlsx`` 导出其成员，每人一行，列与导入模板相同，身份证号和电话脱敏。供村级事务人员使用。",
    "Show a household": "查看户",
    "The household with its members (identity numbers and phones masked) and its history: registration, splits, merges, changes of head, moves.": "户及其成员（身份证号和电话脱敏）和变动记录：登记、分户、合户、户主变更、迁入迁出。",
    "The row's number in the village's chain.": "该行在本村积分链中的序号。",
    "Whole points: positive added, negative taken.": "积分（整数）：正数为加分，负数为扣分。",
    "The entry it books, if any.": "所记入的积分记录（如有）。",
    "SHA-256 of the row, chained to the one before.": "该行的 SHA-256 哈希，与上一行相链。",
    "The entry it reverses, if any.": "所冲正的积分记录（如有）。",
    "Points now: the sum of its ledger rows.": "当前积分：台账各行之和。",
    "Points earned in the year (entries and their reversals).": "当年所得积分（积分记录及其冲正）。",
    "星级: the village's bands the year reaches.": "星级：当年积分达到本村的第几档。",
    "Entries on their way: awaiting assessment, review or notice.": "办理中的积分记录：待初评、待审核或公示中。",
    "Words in the household number or head.": "户号或户主姓名中的文字。",
    "Words in the household number or head, the grounds or the rule.": "户号、户主姓名、事由或细则条目中的文字。",
    "On or after this day.": "当日或之后。",
    "On or before this day.": "当日或之前。",
    "The year counted (default: this year).": "统计的年份（默认为今年）。",
    "An active household of the village.": "本村的一个在册户。",
    "A rule of the village's rules in force: its points are given.": "本村现行积分细则中的一条：按其分值加分或扣分。",
    "The day it happened (not later).": "发生日期（不能晚于今天）。",
    "The grounds: what happened.": "事由：发生了什么。",
    "List a village's points ledger": "村积分台账",
    "The village's ledger (积分台账), newest row first, with the ledger page's search; ``format=xlsx`` exports it with the page's columns, oldest first. Rows are only ever added: a correction is a reversing row. For officials of village affairs.": "本村的积分台账，最新的行在前，搜索与台账页面相同；``format=xlsx`` 按页面的列导出，最早的行在前。台账只增不改：更正以冲正行记入。供村级事务人员使用。",
    "List a village's points entries": "村积分记录列表",
    "Points proposed for the village's households, newest first, in every state (submitted, assessed, in notice, effective, rejected), with the entry list page's filters; ``format=xlsx`` exports them with the page's columns. For officials of village affairs.": "为本村各户登记的积分，最新的在前，含各状态（待初评、待审核、公示中、已生效、已驳回），筛选条件与积分记录页面相同；``format=xlsx`` 按页面的列导出。供村级事务人员使用。",
    "Record points for a household": "为农户登记积分",
    "Awards or deducts the points of one rule of the rules in force (a negative rule deducts), as the village's “record points” page does: the entry awaits 初评, then 审核 and its public notice, on the pages; the ledger takes its points when it takes effect. A rule that needs an evidence file is recorded on the page, with the file. For the village's officials and the county office.": "按现行细则中的一条加分或扣分（分值为负的条目即扣分），与本村“登记积分”页面相同：记录随后在页面上经初评、审核和公示，生效时才记入台账。须附证明材料的条目请在页面上连同文件登记。供本村干部和区级办公室使用。",
    "Show a household's points": "查看户积分",
    "The household's balance, the points it earned in the year, its stars and its entries on their way. Officials read the households of their area; a villager reads their own household only.": "户的积分余额、当年所得积分、星级和办理中的积分记录。干部可查看所辖范围内的户；村民只能查看本户。",
    "List a household's ledger rows": "户积分台账明细",
    "The household's rows of its village's ledger, newest first: effective entries, reversals, redemptions and settlements, each with the balance after it.": "本户在村积分台账中的各行，最新的在前：已生效的积分记录、冲正、兑换和年度结算，各附变动后的余额。",
    "Show your household's points": "查看我家积分",
    "A villager's own household, as their points page shows it (404 while the account is linked to no household of the village); its rows are at ``/api/v1/points/households/{pk}/ledger/``.": "村民本户的积分，与“我家积分”页面相同（账号尚未关联本村的户时应答 404）；台账明细见 ``/api/v1/points/households/{pk}/ledger/``。",
}
