"""Simplified Chinese for hemei/board (村务公开栏), and the home page's and menu's words for it."""

ZH = {
    "Public board": "村务公开栏",
    "Public boards": "村务公开栏",
    "Village public board": "村务公开栏",
    "Village affairs public board": "村务公开栏",
    "%(village)s public board": "%(village)s村务公开栏",
    "%(village)s public board: poster": "%(village)s村务公开栏二维码海报",
    "public board settings": "村务公开栏设置",
    # the settings
    "The public board is on": "开启村务公开栏",
    "the public board is on": "开启村务公开栏",
    "Welcome text": "栏首说明",
    "welcome text": "栏首说明",
    "Office contact": "咨询电话",
    "office contact": "咨询电话",
    "changed at": "修改时间",
    "Off: the board's page, its QR code and its poster answer 'not found'.": (
        "关闭时，公开栏页面、二维码和海报均无法访问。"
    ),
    "A few lines at the top of the board. No names, ID or mobile numbers.": (
        "显示在公开栏顶部的几句话。不要填写姓名、身份证号或手机号。"
    ),
    "The village office's landline or where to ask, e.g. 村委会办公室 0532-88512345. Never a person's mobile number.": (
        "村委会办公室的固定电话或咨询地点，如“村委会办公室 0532-88512345”。不得填写个人手机号。"
    ),
    "Only a village has a public board.": "只有村（社区）才有村务公开栏。",
    "You do not run the public board of this village.": "您无权管理该村的村务公开栏。",
    "The public board may not show an ID-card or mobile number. Give the office's landline (e.g. 0532-88512345) or leave it out.": (
        "村务公开栏不得显示身份证号或手机号。请填写办公室固定电话（如 0532-88512345）或不填。"
    ),
    "The board is on. Its address": "公开栏已开启，网址",
    "The board is off: its page, QR code and poster answer 'not found' until it is turned on.": (
        "公开栏未开启：开启之前，其页面、二维码和海报均无法访问。"
    ),
    "The village's officials and the town and county above change these settings.": (
        "由本村干部及上级镇街、区县修改这些设置。"
    ),
    "Open the board": "打开公开栏",
    "Print the poster": "打印二维码海报",
    "Download the QR code": "下载二维码",
    "Poster": "海报",
    "No villages match.": "没有符合条件的村。",
    "on": "已开启",
    "off": "未开启",
    "Each village's public board (村务公开栏) is a page anyone can open without an account, with a QR code to print for the board at the village: its notices, its catalogue of powers and services, its published decisions and its disclosures. A village's board is shown only once it is turned on.": (
        "每个村的村务公开栏是一个无需登录即可查看的网页，并附可打印张贴在村公开栏的二维码："
        "内容包括公示公告、小微权力和公共服务清单、民主决策结果和村务公开目录。"
        "村务公开栏须开启后才对外显示。"
    ),
    # the public page and the poster
    "Questions and objections": "咨询和异议",
    "Sections": "栏目",
    "Nothing is posted here at present.": "本栏目暂无内容。",
    "Nothing is posted on this board yet.": "公开栏暂无内容。",
    "This board is public: it shows no one's ID number, personal phone, bank or health details.": (
        "本公开栏向社会公开，不显示任何个人的身份证号、个人电话、银行账户或健康信息。"
    ),
    "Poster with the QR code": "二维码海报",
    "QR code of the board": "村务公开栏二维码",
    "Scan with your phone to read the village's notices, decisions and public affairs.": (
        "手机扫码，查看本村公示公告、民主决策和村务公开。"
    ),
    "This village has no public board.": "该村没有开通村务公开栏。",
    "Too many requests from your address. Please wait a minute and try again.": (
        "访问过于频繁，请稍等一分钟后再试。"
    ),
    # the home page
    "open the public board": "查看公开栏",
    "print its QR poster": "打印二维码海报",
    "the public board is off": "公开栏未开启",
    "settings": "设置",
}
