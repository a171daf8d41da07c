"""Simplified Chinese for hemei/procedures (办事程序: 工作日历、办理时限)."""

ZH = {
    "Procedures": "办事程序",
    "Time limits": "办理时限",
    "Time limit": "办理时限",
    "time limit": "办理时限",
    "time limits": "办理时限",
    "working days": "工作日",
    "calendar days": "自然日",
    "%(days)s %(unit)s": "%(days)s 个%(unit)s",
    # the schedule
    "Working-day schedule": "工作日历",
    "working-day schedule": "年度工作日安排",
    "working-day schedules": "年度工作日安排",
    "Add a year's schedule": "添加年度安排",
    "Years added by administrators": "管理员添加的年度安排",
    "Working days follow the State Council's yearly notice on public holidays, adjusted working weekends (调休) included. The platform knows %(known_years)s (%(library_years)s from the chinese-calendar library); a date in any other year cannot be counted until an administrator adds that year's schedule.": (
        "工作日按国务院办公厅每年发布的部分节假日安排通知确定，包括调休上班的周末。平台已有"
        "%(known_years)s年的安排（其中%(library_years)s年来自 chinese-calendar 程序库）；"
        "其他年份的日期须待管理员添加该年安排后才能计算。"
    ),
    "N working days after a date is the N-th working day after it (the date itself never counts); the working days from A to B are those after A up to and including B.": (
        "某日后 N 个工作日，指该日之后的第 N 个工作日（当日不计入）；A 至 B 的工作日数，"
        "指 A 之后、至 B（含）为止的工作日数。"
    ),
    "N working days later": "推算到期日",
    "Working days between": "计算工作日数",
    "Start date": "起算日期",
    "Working days": "工作日数",
    "Calculate": "计算",
    "Holidays": "放假日期",
    "Adjusted working days": "调休上班日期",
    "Added": "添加",
    "replaced": "已被替换",
    "in force": "有效",
    "No year added yet: the library's schedule applies.": "尚未添加年度安排，按程序库的安排计算。",
    "No official working-day schedule is known for %(year)s; the platform knows %(years)s. An administrator adds a new year from the State Council's notice.": (
        "平台没有%(year)s年的法定节假日安排，已有的年份为%(years)s。"
        "请管理员根据国务院办公厅的通知添加该年安排。"
    ),
    "Copy the dates from the State Council's notice: every rest day of each holiday (weekend days included), and every weekend day that is worked in exchange. Any other weekday is a working day and any other weekend day a rest day. The schedule applies to the whole platform and is recorded in the audit log.": (
        "请按国务院办公厅的通知填写：每个节日的全部放假日期（含其中的周末），以及每个调休上班的周末日期。"
        "其余周一至周五为工作日，其余周六、周日为休息日。年度安排适用于整个平台，并记入操作日志。"
    ),
    # the schedule's form and model
    "Holidays (rest days)": "放假日期",
    "Adjusted working days (weekend days worked)": "调休上班日期（周末上班）",
    "One date per line or separated by commas, e.g. 2027-01-01; a run of days as 2027-02-05至2027-02-11.": (
        "每行一个日期或用逗号分隔，如 2027-01-01；连续多天写作 2027-02-05至2027-02-11。"
    ),
    "“%(text)s” is not a date (write 2027-02-05) or a run of days (write 2027-02-05至2027-02-11).": (
        "“%(text)s”不是日期（应写作 2027-02-05）或日期段（应写作 2027-02-05至2027-02-11）。"
    ),
    "Source document": "依据文件",
    "source document": "依据文件",
    "The notice the dates come from, e.g. 国办发明电〔2026〕7号.": (
        "日期所依据的通知文号，如：国办发明电〔2026〕7号。"
    ),
    "Replaces the known schedule": "替换已有安排",
    "replaces a known schedule": "替换已有安排",
    "Only for a year the platform already knows (an amended notice): these dates then replace that year's schedule as a whole.": (
        "仅用于平台已有安排的年份（如通知调整）：勾选后以本次填写的日期整体替换该年安排。"
    ),
    "holidays": "放假日期",
    "adjusted working days": "调休上班日期",
    "added by": "添加人",
    "added at": "添加时间",
    "Only administrators add working-day schedules.": "只有管理员可以添加年度工作日安排。",
    "Give a year from %(first)s to %(last)s.": "请填写%(first)s至%(last)s之间的年份。",
    "These dates are not in %(year)s: %(dates)s.": "以下日期不在%(year)s年：%(dates)s。",
    "A day cannot be both a holiday and a working day: %(dates)s.": (
        "同一天不能既是节假日又是工作日：%(dates)s。"
    ),
    "Name the notice the dates come from.": "请填写日期所依据的通知文号。",
    "The schedule of %(year)s is already known. Tick “replaces the known schedule” to replace it as a whole with these dates.": (
        "平台已经有%(year)s年的安排。如需以本次填写的日期整体替换，请勾选“替换已有安排”。"
    ),
    "The schedule of %(year)s is saved.": "%(year)s年的工作日安排已保存。",
    # time limits
    "How long each step of a procedure may take, with its unit (working days or calendar days) and its legal basis. A county's limit overrides its province's; the one marked “applies” is in force today.": (
        "办事程序各环节的办理时限，注明计算单位（工作日或自然日）和法律依据。"
        "县级规定优先于省级规定；标有“适用”的是今天有效的一条。"
    ),
    "County code": "县级区划代码",
    "New time limit": "新增办理时限",
    "End a time limit": "终止办理时限",
    "Step": "办理环节",
    "Key": "标识",
    "Days": "天数",
    "Unit": "单位",
    "Applies to": "适用范围",
    "Legal basis": "法律依据",
    "legal basis": "法律依据",
    "Validity": "有效期",
    "Valid from": "生效日期",
    "in force from": "生效日期",
    "Valid until": "失效日期",
    "valid until": "失效日期",
    "until further notice": "长期有效",
    "further notice": "长期有效",
    "Empty: until further notice.": "不填表示长期有效。",
    "Extension (days)": "可延长天数",
    "extension (days)": "可延长天数",
    "extension: %(days)s": "可延长：%(days)s",
    "How much longer it may take when extended, in the same unit.": "经批准可延长的天数，单位与时限相同。",
    "applies": "适用",
    "overridden by the county": "已由县级规定替代",
    "upcoming": "尚未生效",
    "ended": "已失效",
    "End": "终止",
    "Last day in force": "最后有效日",
    "No time limits are set for this county or its province yet.": "本县及所在省尚未设置办理时限。",
    "A limit of the county overrides the province's of the same key. Validity periods of one key must not overlap: to change a limit, end the old one the day before the new one starts.": (
        "县级时限优先于同一标识的省级时限。同一标识的有效期不得重叠：调整时限时，"
        "请先把旧时限的最后有效日设为新时限生效的前一天。"
    ),
    "key": "标识",
    "days": "天数",
    "unit": "单位",
    "Lower-case letters, digits and _ , parts joined by dots.": "只能使用小写字母、数字和下划线，各部分用英文句点连接。",
    "What the procedures look the limit up by, e.g. homestead.village_review.": (
        "办事程序查找时限所用的标识，如 homestead.village_review。"
    ),
    "The rule's source: document, number and article.": "规定的出处：文件名称、文号和条款。",
    "The end of validity is before its start.": "失效日期早于生效日期。",
    "The end of validity is before its start (%(start)s).": "失效日期早于生效日期（%(start)s）。",
    "No time limit %(key)s is in force on %(day)s for %(county)s or its province.": (
        "%(day)s，%(county)s及其所在省均没有有效的办理时限“%(key)s”。"
    ),
    "Time limits are set for a province or a county.": "办理时限只能按省或县设置。",
    "%(division)s already has the time limit %(key)s from %(start)s to %(end)s; the validity periods must not overlap (end the earlier one first).": (
        "%(division)s已有办理时限“%(key)s”（%(start)s至%(end)s），有效期不得重叠，请先终止原有时限。"
    ),
    "Only the county's administrators set its time limits.": "只有本县的管理员可以设置办理时限。",
    "Time limit %(name)s added.": "办理时限“%(name)s”已添加。",
    "Time limit %(name)s ended.": "办理时限“%(name)s”已终止。",
    # 四议两公开: decision records
    "Village decisions": "民主决策",
    "Village decisions (四议两公开)": "民主决策（四议两公开）",
    "Party branch proposes": "党支部提议",
    "two committees confer": "两委会商议",
    "Party members' meeting reviews": "党员大会审议",
    "joint meeting of village organisations": "村务联席会议",
    "villagers' (representatives') meeting decides": "村民（代表）会议决议",
    "resolution published": "决议公开",
    "result of implementation published": "实施结果公开",
    "those entitled to attend": "应到人数",
    "those present": "实到人数",
    "not passed": "未通过",
    "minutes": "会议记录",
    "Village code": "村代码",
    "Matter": "事项",
    "Process": "决策程序",
    "One meeting proposes and confers (一肩挑)": "提议和商议合并召开（一肩挑）",
    "The branch secretary is also the committee director: steps 1 and 2 are one meeting.": (
        "村党组织书记兼任村委会主任，第一、二步合并为一次会议。"
    ),
    "No village has this code.": "没有这个代码的村。",
    "Entitled to attend": "应到人数",
    "Present": "实到人数",
    "For": "赞成",
    "Against": "反对",
    "Abstaining": "弃权",
    "Minutes": "会议记录",
    "Photos": "照片",
    "Notes": "备注",
    "Published on": "公开日期",
    "What was published": "公开内容",
    "Empty: the national process, offered everywhere.": "留空表示全国通用的程序，各地均可使用。",
    "in use": "启用",
    "decision process": "决策程序",
    "decision processes": "决策程序",
    "process": "决策程序",
    "meeting body": "会议主体",
    "decision step": "决策步骤",
    "decision steps": "决策步骤",
    "matter": "事项",
    "steps 1 and 2 merged": "第一、二步合并",
    "The branch secretary is also the committee director (一肩挑): one meeting proposes and confers.": (
        "村党组织书记兼任村委会主任（一肩挑），提议和商议合并为一次会议。"
    ),
    "current step": "当前步骤",
    "why not passed": "未通过原因",
    "decision record": "民主决策记录",
    "decision records": "民主决策记录",
    "record": "决策记录",
    "entitled to attend": "应到人数",
    "present": "实到",
    "for": "赞成",
    "against": "反对",
    "abstaining": "弃权",
    "quorum met": "达到法定人数",
    "passed": "通过",
    "outcome": "结果",
    "rule applied": "适用规则",
    "rule values": "规则参数",
    "notes": "备注",
    "decision meeting": "决策会议",
    "decision meetings": "决策会议",
    "meeting file": "会议材料",
    "meeting files": "会议材料",
    "published on": "公开日期",
    "decision publication": "决策公开",
    "decision publications": "决策公开",
    "approved object": "经决策的事项",
    "approved objects": "经决策的事项",
    "half": "半数",
    "two thirds": "三分之二",
    "more than %(share)s of those entitled present": "超过应到人数的%(share)s到会",
    "at least %(share)s of those entitled present": "不少于应到人数的%(share)s到会",
    "of those entitled": "应到人数",
    "of those present": "到会人数",
    "passed by more than %(share)s %(base)s": "经%(base)s过%(share)s同意通过",
    "passed by at least %(share)s %(base)s": "经不少于%(base)s的%(share)s同意通过",
    "Attendance and votes are whole numbers, zero or more.": "到会人数和票数须为零或正整数。",
    "Nobody is entitled to attend: enter how many are.": "应到人数为零，请填写应到人数。",
    "%(present)s present is more than the %(entitled)s entitled to attend.": (
        "实到%(present)s人，超过应到的%(entitled)s人。"
    ),
    "%(votes)s votes (for, against, abstaining) is more than the %(present)s present.": (
        "赞成、反对、弃权合计%(votes)s票，超过实到的%(present)s人。"
    ),
    "No quorum: %(present)s of %(entitled)s present, %(need_present)s needed; the vote does not count.": (
        "未达到法定人数：应到%(entitled)s人，实到%(present)s人，至少需要%(need_present)s人，表决无效。"
    ),
    "Passed: %(for)s for of %(entitled)s entitled, %(need_for)s needed (%(present)s present).": (
        "通过：应到%(entitled)s人（实到%(present)s人），赞成%(for)s票，需要%(need_for)s票。"
    ),
    "Not passed: %(for)s for of %(entitled)s entitled, %(need_for)s needed (%(present)s present).": (
        "未通过：应到%(entitled)s人（实到%(present)s人），赞成%(for)s票，需要%(need_for)s票。"
    ),
    "Passed: %(for)s for of %(present)s present, %(need_for)s needed.": (
        "通过：实到%(present)s人，赞成%(for)s票，需要%(need_for)s票。"
    ),
    "Not passed: %(for)s for of %(present)s present, %(need_for)s needed.": (
        "未通过：实到%(present)s人，赞成%(for)s票，需要%(need_for)s票。"
    ),
    "Only the village's officials and the county office record this.": "只有本村干部和县级管理部门可以记录。",
    "A decision process is defined for a county.": "决策程序按县定义。",
    "Only the county's administrators define its processes.": "只有本县的管理员可以定义决策程序。",
    "A process has at least one step.": "决策程序至少要有一个步骤。",
    "A decision record belongs to a village.": "民主决策记录须属于一个村。",
    "Name the matter.": "请填写决策事项。",
    "This process belongs to another county.": "这个决策程序属于其他县。",
    "Only a process that starts with the branch's proposal and the two committees' conferring can merge them.": (
        "只有以党支部提议、两委会商议开始的程序才能合并这两步。"
    ),
    "This process has no steps.": "这个决策程序没有步骤。",
    "%(name)s is not a photo.": "%(name)s不是照片。",
    "This step was recorded meanwhile: reload the page.": "这一步已由他人记录，请刷新页面。",
    "The current step is a publication, not a meeting.": "当前步骤是公开，不是会议。",
    "The meeting's date is in the future.": "会议日期晚于今天。",
    "The meeting is before the previous step's (%(day)s).": "会议日期早于上一步的会议（%(day)s）。",
    "Attach the meeting's minutes.": "请上传会议记录。",
    "At most %(n)s photos.": "照片最多%(n)s张。",
    "The current step is a meeting: record it first.": "当前步骤是会议，请先记录会议。",
    "Enter what was published.": "请填写公开内容。",
    "The date is in the future.": "日期晚于今天。",
    "It is before the last meeting (%(day)s).": "日期早于最后一次会议（%(day)s）。",
    "A matter that was not passed approves nothing.": "未通过的事项不能作为审批依据。",
    "This record is closed: it passed every step or was not passed.": "该记录已结束：已完成全部步骤或未获通过。",
    "Decision records": "民主决策记录",
    "Not passed": "未通过",
    "no quorum": "未达到法定人数",
    "This meeting also stood for the next step (一肩挑).": "本次会议同时作为下一步（一肩挑）。",
    "Rule applied": "适用规则",
    "Merged with the previous step.": "已与上一步合并。",
    "Record the publication": "登记公开",
    "Record the meeting": "登记会议",
    "Not reached.": "尚未进行。",
    "Approved by this record": "依据本决策办理的事项",
    "New decision record": "新建民主决策记录",
    "Major village matters decided by the four deliberations and two disclosures (四议两公开): each meeting with its attendance, votes and quorum, and the publications.": (
        "按“四议两公开”决策的村级重大事项：每次会议的到会人数、表决票数和是否达到法定人数，以及公开情况。"
    ),
    "All": "全部",
    "Area code": "区划代码",
    "Current step": "当前步骤",
    "No decision records yet.": "还没有民主决策记录。",
    "Steps 1 and 2 are merged: this meeting proposes and confers.": "第一、二步合并：本次会议同时提议和商议。",
    "Why not passed": "未通过原因",
    "Created at": "创建时间",
    "You do not record decisions of this village.": "您不能登记这个村的民主决策。",
    "The decision record is created.": "民主决策记录已创建。",
    "The current step takes no meeting.": "当前步骤无需开会。",
    "The current step is not a publication.": "当前步骤不是公开。",
    "Published: %(step)s.": "已登记：%(step)s。",
    # adopted versions (shared by points rules and the procedure catalogue)
    "draft": "草稿",
    "adopted": "已通过",
    "published template": "已发布范本",
    "villagers' meeting": "村民会议",
    "villagers' representatives meeting": "村民代表会议",
    "version": "版本",
    "state": "状态",
    "based on": "依据",
    "adopted by": "通过会议",
    "meeting date": "会议日期",
    "recorded by": "登记人",
    "An adopted version names its meeting and dates.": "已通过的版本须写明会议及日期。",
    "An adopted or published version cannot change; draft a new one.": "已通过或已发布的版本不能修改，请起草新版本。",
    "The version in force now started on %(date)s; start later.": "现行版本自 %(date)s 起施行，新版本须晚于该日。",
    "Start from your own version or a template published above.": "请以本村已有版本或上级发布的范本为基础起草。",
    "The version comes into force on or after the meeting.": "施行日期不能早于会议日期。",
    "Choose the meeting that adopted it.": "请选择通过该版本的会议。",
}
