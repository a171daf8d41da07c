"""Simplified Chinese for the homestead part of hemei/api (宅基地审批接口)."""

ZH = {
    # shapes
    "Square metres.": "单位：平方米。",
    "Metres.": "单位：米。",
    "The application's id, which is its case's id.": "申请的 ID，即其办件的 ID。",
    "The head of the household.": "户主。",
    "Measured on the drawn parcel (m²).": "按所绘宗地量算的面积（平方米）。",
    "The 批准书's number, once approved.": "批准后的《农村宅基地批准书》编号。",
    "The building permit's number.": "乡村建设规划许可证编号。",
    "Flags not answered yet.": "尚未答复的提示数。",
    "Masked, as on the form.": "已脱敏，与申请表一致。",
    "What was found.": "发现的情况。",
    "Who signed the answer.": "答复签字人。",
    "The office, in the interface language.": "部门名称（界面语言）。",
    "The light of its clock (empty once given).": "该意见计时的亮灯（已出具意见的为空）。",
    "From the photo (EXIF).": "取自照片（EXIF）。",
    "What the checks found against the visit (time, place).": (
        "照片核验发现的与到场不符之处（时间、地点）。"
    ),
    "The photo on the pages (signed in).": "照片在页面上的地址（须登录）。",
    "A stop-work order until it is corrected.": "整改前责令停工。",
    "Not corrected yet.": "尚未整改。",
    "How it was corrected.": "整改情况。",
    "The officials present.": "到场的工作人员。",
    "The neighbours present and signing.": "到场并签字的四邻。",
    "The Word file on the pages (signed in).": "Word 文件在页面上的地址（须登录）。",
    "The case: its steps are taken at /api/v1/cases/{case_id}/pass/ and the others.": (
        "所属办件：各环节在 /api/v1/cases/{case_id}/pass/ 等接口办理。"
    ),
    "The household's number.": "户编号。",
    "The proposed parcel: a GeoJSON geometry (longitude, latitude).": (
        "拟用宅基地宗地：GeoJSON 几何（经度、纬度）。"
    ),
    "The household's members as the register had them.": "申请时户籍登记的家庭成员。",
    "The offices consulted besides 农业农村 and 自然资源.": "农业农村、自然资源以外征求意见的部门。",
    "Newest round first.": "最新一轮在前。",
    "A deviation is open: work stops.": "有未整改的问题：停工。",
    "The forms the application has reached.": "申请已办理到的各类文书。",
    # inputs
    "Empty: nobody on that side.": "留空：该方向无相邻户。",
    "The village's code (a villager: their own village).": "村的区划代码（村民填本村）。",
    "The number of the household that applies (an official filing for one; a villager "
    "applies for their own household).": "申请户的户编号（工作人员代为申请时填写；村民只能为本户申请）。",
    "Default: plains.": "默认：平原。",
    "Default: construction land.": "默认：建设用地。",
    "Default: true.": "默认：是。",
    "A new site: the old homestead is handed back.": "易址新建：退出原宅基地。",
    "The proposed parcel as a GeoJSON object (a geometry, a Feature or a FeatureCollection "
    "of one polygon) in longitude and latitude.": (
        "拟用宅基地宗地，GeoJSON 对象（几何、Feature 或只含一个多边形的 FeatureCollection），"
        "坐标为经纬度。"
    ),
    "The four neighbours' opinions.": "四邻意见。",
    "How it is resolved, or why it is accepted.": "如何解决，或予以认可的理由。",
    "The offices consulted besides 农业农村 and 自然资源 (all of them: the list replaces "
    "the one before).": "农业农村、自然资源以外征求意见的部门（须列全：本列表替换原列表）。",
    "Not before the visit.": "不早于到场日期。",
    "Never in the future.": "不能晚于今天。",
    "Default: today; between the visit and today.": "默认：今天；须在到场日期与今天之间。",
    # filters
    "past the date to hand back, not handed back": "已过退出期限、尚未退出原宅基地",
    "Words in the number, applicant, address, approval or permit number.": (
        "按办件编号、申请人、地址、批准书编号或许可证编号查找。"
    ),
    "Applications of this division or below it.": "该区划及其下级的申请。",
    "Only those with a flag not answered.": "仅显示有未答复提示的申请。",
    "Only the approved (the county's filing).": "仅显示已批准的申请（区县备案）。",
    "Approved in this year.": "在该年度批准。",
    "Visits in this division or below it.": "该区划及其下级的到场记录。",
    "Visits on or after this day.": "该日及以后的到场记录。",
    "Visits on or before this day.": "该日及以前的到场记录。",
    # the visit log's columns
    "Deviations": "发现的问题",
    "Open deviations": "未整改问题",
    # operations
    "List homestead applications": "列出宅基地申请",
    "The town's approval ledger (审批管理台账): the applications of your area, newest first, "
    "with the ledger page's filters; ``approved=true`` is the county's filing; "
    "``format=xlsx`` exports them with the ledger's columns. Village affairs only.": (
        "乡镇审批管理台账：管辖范围内的宅基地申请，最新的在前，筛选条件与台账页面相同；"
        "``approved=true`` 即区县备案；``format=xlsx`` 按台账的列导出。仅限村级事务工作人员。"
    ),
    "A household's application (申请表): the case starts on the village's homestead item, "
    "the members are taken from the register, the parcel is measured and every check runs; "
    "what fails becomes a flag for the officials to answer. A villager applies for their own "
    "household, an official for a household of the village. Materials (photos of the "
    "register, ID cards, the promise) are added on the application's page.": (
        "农户提交申请表：按本村清单中的宅基地审批事项立案，家庭成员取自户籍登记，量算宗地面积并"
        "逐项核查；未通过的核查生成提示，由工作人员答复。村民为本户申请，工作人员为本村农户代为"
        "申请。申请材料（户口簿、身份证照片、承诺书）在申请页面上传。"
    ),
    "Show a homestead application": "查看宅基地申请",
    "The application's form, the household's members (ID numbers masked), the neighbours, "
    "the parcel, its flags, the joint review's opinions, the site visits with their photos "
    "(names and checks; the files on the pages) and deviations, the hand-back and the forms "
    "it has reached. Its steps are the case's: ``case_id``.": (
        "申请表内容、家庭成员（身份证号已脱敏）、四邻、宗地、提示、联审意见、到场记录及其照片"
        "（名称和核验结果；文件在页面上查看）和发现的问题、原宅基地退出情况以及已生成的文书。"
        "审批环节在所属办件上办理：见 ``case_id``。"
    ),
    "Answer a flag": "答复提示",
    "How a failed check is resolved or why it is accepted, signed; once. A flag raised at "
    "application is answered by the village or the town, one raised at approval by the "
    "town. The approval step does not pass while a flag is open.": (
        "说明未通过的核查如何解决或予以认可的理由并签字，只能答复一次。申请时的提示由村或乡镇"
        "答复，审批时的提示由乡镇答复。有未答复的提示时，审批环节不能通过。"
    ),
    "Give an office's opinion": "出具部门意见",
    "One office's opinion in the joint review (联审), signed; its clock stops. The town's "
    "offices give it while the joint review is in hand, in its current round.": (
        "联审中一个部门的意见，签字后该部门计时停止。由乡镇各部门在联审环节、当前一轮中出具。"
    ),
    "Choose the offices of the joint review": "选择联审部门",
    "The offices consulted besides 农业农村 and 自然资源 (林业, 水利, 电力, 执法), chosen by "
    "the town; while the joint review runs, an office added is asked at once, on its own "
    "clock.": (
        "由乡镇选择农业农村、自然资源以外征求意见的部门（林业、水利、电力、执法）；联审进行中新增"
        "的部门立即征求意见，单独计时。"
    ),
    "到场: a visit of the town's offices with who was there, what was measured and the "
    "deviations found (each a stop-work order with its deadline). Photos are taken on the "
    "visit page: a staking-out or completion visit needs them, so through the API it is "
    "answered 400 with that message; site selection and construction visits are recorded "
    "here.": (
        "到场：乡镇部门到现场，记录到场人员、测量结果和发现的问题（每个问题即责令停工整改，"
        "附整改期限）。照片在到场页面拍摄上传：定点放样和竣工验收到场必须有照片，通过接口提交时"
        "应答 400 并说明原因；选址到场和施工巡查到场可通过本接口记录。"
    ),
    "Correct a deviation": "整改问题",
    "The deviation is corrected (or answered by the town): its stop-work order is lifted.": (
        "问题已整改（或由乡镇答复）：解除停工。"
    ),
    "List site visits": "列出到场记录",
    "The town's inspection log: every site visit of your area, newest first, with its "
    "application, photos (names and checks) and deviations; ``format=xlsx`` exports it. "
    "Village affairs only.": (
        "乡镇巡查记录：管辖范围内的全部到场记录，最新的在前，附所属申请、照片（名称和核验结果）"
        "和发现的问题；``format=xlsx`` 可导出。仅限村级事务工作人员。"
    ),
}
