"""Simplified Chinese for hemei/progress (进度填报与留痕)."""

ZH = {
    "Progress reports": "进度填报",
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
    "What was done": "工作进展",
    "what was done": "工作进展",
    "Milestones reached": "已完成节点",
    "milestones reached": "已完成节点",
    "Photos and documents": "照片和文档",
    "A report may carry at most %(limit)d files.": "每份填报最多 %(limit)d 个文件。",
    "Reason for return": "退回原因",
    "reason for return": "退回原因",
    "Search task, text or author": "搜索任务、内容或填报人",
    "waiting for review": "待审核",
    "only with duplicate evidence": "只看有重复佐证的",
    "draft": "草稿",
    "submitted": "已提交",
    "approved": "已批准",
    "returned": "已退回",
    "photo": "照片",
    "document": "文档",
    "task": "任务",
    "author": "填报人",
    "Progress (%)": "进度（%）",
    "Progress (%%)": "进度（%%）",
    "progress (%)": "进度（%）",
    "submitted at": "提交时间",
    "decided at": "审批时间",
    "decided by": "审批人",
    "progress report": "进度填报",
    "progress reports": "进度填报",
    "report": "填报",
    "file": "文件",
    "file name": "文件名",
    "content type": "文件类型",
    "size (bytes)": "大小（字节）",
    "SHA-256": "SHA-256 摘要",
    "photo taken at": "拍摄时间",
    "latitude": "纬度",
    "longitude": "经度",
    "duplicate of": "重复于",
    "uploaded at": "上传时间",
    "evidence": "佐证材料",
    "No such task.": "没有这项任务。",
    "You may not report progress on this task.": "您无权填报这项任务的进度。",
    "%(percent)s%% is lower than the task's current progress of %(current)s%%: approving it "
    "lowers the progress.": "填报进度 %(percent)s%% 低于任务当前进度 %(current)s%%：审核通过后任务进度将下调。",
    "This task is done; it takes no more progress reports.": "这项任务已完成，不再接受进度填报。",
    "This task takes its progress from its subtasks: report on the subtasks.": (
        "这项任务的进度由子任务汇总而来，请在子任务上填报。"
    ),
    "Enter the progress as a number from 0 to 100.": "请输入 0 到 100 之间的进度数字。",
    "A milestone of another task was chosen.": "选择了其他任务的节点。",
    "Only the author may change this report.": "只有填报人可以修改这份填报。",
    "A %(state)s report can no longer be changed.": "%(state)s的填报不能再修改。",
    "A report may carry at most %(limit)d files; it has %(count)d and %(more)d more were given.": (
        "每份填报最多 %(limit)d 个文件；已有 %(count)d 个，又上传了 %(more)d 个。"
    ),
    "%(name)s is already attached to this report.": "“%(name)s”已经附在这份填报上了。",
    "Say what was done.": "请填写工作进展。",
    "That file belongs to another report.": "该文件属于另一份填报。",
    "Reported %(percent)s%%: %(text)s": "填报进度 %(percent)s%%：%(text)s",
    "Progress report to review: %(task)s": "待审核的进度填报：%(task)s",
    "%(author)s reports %(percent)s%%.": "%(author)s填报进度 %(percent)s%%。",
    "No such report.": "没有这份填报。",
    "You may not review reports on this task.": "您无权审核这项任务的填报。",
    "You may not review your own report.": "不能审核自己的填报。",
    "Only a submitted report can be reviewed; this one is %(state)s.": (
        "只能审核已提交的填报；这份填报的状态是“%(state)s”。"
    ),
    "Approved the report of %(percent)s%% by %(author)s": "审核通过%(author)s填报的进度 %(percent)s%%",
    "Report approved: %(task)s": "填报已通过：%(task)s",
    "Your report of %(percent)s%% was approved by %(reviewer)s.": (
        "您填报的进度 %(percent)s%% 已由%(reviewer)s审核通过。"
    ),
    "Say why the report goes back.": "请填写退回原因。",
    "Report returned: %(task)s": "填报被退回：%(task)s",
    "Author": "填报人",
    "Submitted at": "提交时间",
    "Files": "文件",
    "Duplicate files": "重复文件",
    "lower than the current progress": "低于当前进度",
    "%(count)s duplicate": "%(count)s 个重复",
    "Nothing waits for your review.": "没有待您审核的填报。",
    "Report progress": "填报进度",
    "not submitted": "未提交",
    "No progress reports yet.": "还没有进度填报。",
    "Progress report": "进度填报",
    "%(count)s file was already used as evidence on another report.": (
        "%(count)s 个文件已在其他填报中用作佐证。"
    ),
    "Returned": "已退回",
    "task now %(progress)s%%": "任务当前 %(progress)s%%",
    "Decided": "审核",
    "Evidence": "佐证材料",
    "Taken at": "拍摄时间",
    "No time recorded in the photo": "照片未记录拍摄时间",
    "Location": "拍摄位置",
    "The same file was already used": "同一文件已用于",
    "No files attached.": "没有附件。",
    "Submit again": "重新提交",
    "Submit for review": "提交审核",
    "Review": "审核",
    "Approve": "批准",
    "Return to the author": "退回",
    "Edit progress report": "修改进度填报",
    "Current progress of the task: %(progress)s%%. The progress moves only when a reviewer "
    "approves the report.": "任务当前进度：%(progress)s%%。填报经审核通过后才更新任务进度。",
    "Take a photo": "拍照",
    "Choose photos or documents": "选择照片或文档",
    "Photos (JPEG, PNG, WebP), PDF, Word (.docx) and Excel (.xlsx); at most %(max_mb)s MB a "
    "file and %(max_files)s files a report. Time and place are read from the photo when the "
    "camera recorded them.": (
        "可上传照片（JPEG、PNG、WebP）、PDF、Word（.docx）和 Excel（.xlsx）；单个文件不超过 "
        "%(max_mb)s MB，每份填报最多 %(max_files)s 个文件。照片中记录的拍摄时间和位置会自动读取。"
    ),
    "remove": "删除",
    "Save as draft": "保存草稿",
    "Reports to review": "进度审核",
    "Report submitted for review.": "填报已提交审核。",
    "Draft saved.": "草稿已保存。",
    "Only the author may change a draft or returned report.": "只有填报人可以修改草稿或被退回的填报。",
    "Report approved; progress updated.": "审核通过，任务进度已更新。",
    "Report returned to its author.": "填报已退回填报人。",
    "The file is missing.": "文件不存在。",
    "File removed.": "文件已删除。",
    "%(count)d photo(s) were taken before the task started (%(start)s): %(names)s": (
        "%(count)d 张照片的拍摄时间早于任务开始日期（%(start)s）：%(names)s"
    ),
    "Town": "镇街",
    "%(name)s has too many pixels; a photo may have at most %(limit)d megapixels.": (
        "“%(name)s”像素过多；照片最多 %(limit)d 百万像素。"
    ),
    "My progress reports": "我的进度填报",
    "You have written no reports yet.": "您还没有填报过进度。",
    "Back to the task": "返回任务",
    "%(count)d more report waits for your review.": "还有 %(count)d 条填报等待您审核。",
    "%(count)d more reports wait for your review.": "还有 %(count)d 条填报等待您审核。",
}
