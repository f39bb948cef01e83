#!/usr/bin/env python3
"""Writes the raw reply fixtures of InboundMailTests (run once; the .eml files are committed).

Each fixture imitates one client's reply as it reaches the MTA: header order and
names, boundary style, charset label, transfer encoding and quoting style are
those the client writes (taken from real messages of each client, with names and
addresses replaced). The notice being answered was sent on 2026-11-18.
"""
import base64
import os
import quopri

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Fixtures")
TOKEN = "aeaqcaaaaaaiydmmrsgq3dqnzqgexdgnbugrkwcy3emvtgo2a"[:47]
REPLY_TO = f"plankeeper+{TOKEN}@hospital.example"
SUBJECT = "【提醒】支部委员会会议（2026-11）还有 3 个工作日到期"

# A tiny JPEG (JFIF header, one 8x8 block) and a one-page PDF: opaque bytes to the parser.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a"
    "1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080008000801011100ffc4001f"
    "0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203"
    "00041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a343536373839"
    "3a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4"
    "a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"
    "ffda0008010100003f00fbd3ffd9"
)
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def b64(data, width=76):
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i:i + width] for i in range(0, len(text), width))


def b_word(text, charset):
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def qp(text, charset):
    return quopri.encodestring(text.replace("\n", "\r\n").encode(charset)).decode().replace("\n", "\r\n").replace("\r\r\n", "\r\n")


def write(name, text, extra=b""):
    data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8") if isinstance(text, str) else text
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data + extra)


QUOTED_NOTICE = (
    "外科第二党支部：\n\n支部委员会会议（2026-11）将于 2026-11-25（周三）到期，还有 3 个工作日。\n\n"
    "直接回复本邮件“完成”即可登记，可附会议记录、签到表照片。\n"
    "管理员也可运行：plankeeper done surgery-2-2026 branch-committee 2026-11\n"
)


def outlook_zh():
    body = ("完成 11-20\n会议在门诊楼三楼会议室召开，应到 7 人，实到 7 人。\n\n"
            "发件人: 党建工作提醒 <plankeeper@hospital.example>\n"
            "发送时间: 2026年11月18日 8:30\n"
            "收件人: 王五 <wangwu@hospital.example>\n"
            f"主题: {SUBJECT}\n\n" + QUOTED_NOTICE)
    html = ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta http-equiv=Content-Type "
            "content=\"text/html; charset=gb2312\"><style><!-- p.MsoNormal {margin:0cm;} --></style></head>"
            "<body lang=ZH-CN><div class=WordSection1><p class=MsoNormal>完成 11-20<o:p></o:p></p>"
            "<p class=MsoNormal>会议在门诊楼三楼会议室召开，应到 7 人，实到 7 人。<o:p></o:p></p>"
            "<div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>发件人:</b> 党建工作提醒"
            " &lt;plankeeper@hospital.example&gt;<br><b>发送时间:</b> 2026年11月18日 8:30<br><b>收件人:</b> 王五<br>"
            f"<b>主题:</b> {SUBJECT}</p></div><p class=MsoNormal>直接回复本邮件“完成”即可登记</p></div></body></html>")
    boundary = "----=_NextPart_000_0007_01DB5A3C.4E2F1A90"
    text = (
        "Received: from WANGWU-PC (unknown [10.12.3.45])\n\tby mail.hospital.example (Postfix) with ESMTPSA id 4Ykq2x0Z3Sz9t\n"
        "\tfor <" + REPLY_TO + ">; Fri, 20 Nov 2026 16:02:11 +0800 (CST)\n"
        f"From: {b_word('王五', 'gb2312')} <wangwu@hospital.example>\n"
        f"To: {b_word('党建工作提醒', 'gb2312')} <{REPLY_TO}>\n"
        f"References: <notice.5f3a9c1e@hospital.example>\n"
        f"In-Reply-To: <notice.5f3a9c1e@hospital.example>\n"
        f"Subject: {b_word('答复: ' + SUBJECT[:14], 'gb2312')}\n {b_word(SUBJECT[14:], 'gb2312')}\n"
        "Date: Fri, 20 Nov 2026 16:02:08 +0800\n"
        "Message-ID: <000801db5a3c$4e2f1a90$ea8d4fb0$@hospital.example>\n"
        "MIME-Version: 1.0\n"
        f"Content-Type: multipart/alternative;\n\tboundary=\"{boundary}\"\n"
        "X-Mailer: Microsoft Outlook 16.0\n"
        "Thread-Index: AQHbWjwZ3mQ4rZp1kUuK4j0b8l9kHg==\n"
        "Content-Language: zh-cn\n\n"
        "This is a multi-part message in MIME format.\n\n"
        f"--{boundary}\n"
        "Content-Type: text/plain;\n\tcharset=\"gb2312\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(body.replace(chr(10), chr(13) + chr(10)).encode('gb2312'))}\n\n"
        f"--{boundary}\n"
        "Content-Type: text/html;\n\tcharset=\"gb2312\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(html.encode('gb2312'))}\n\n"
        f"--{boundary}--\n\n")
    write("outlook-zh.eml", text)


def foxmail():
    body = ("已完成，附签到表照片。\n\n\n\n王五\n外科第二党支部\n\n"
            "发件人： 党建工作提醒\n发送时间： 2026-11-18 08:30\n收件人： 王五\n"
            f"主题： {SUBJECT}\n" + QUOTED_NOTICE)
    html = ('<html><head><meta http-equiv="content-type" content="text/html; charset=GB2312"></head><body>'
            '<div>已完成，附签到表照片。</div><div><br></div><div id="original-content">' + QUOTED_NOTICE
            + '</div></body></html>')
    outer = "----=_001_NextPart481553726046_=----"
    inner = "----=_002_NextPart516367028447_=----"
    text = (
        f"Return-Path: <wangwu@hospital.example>\n"
        f"Date: Fri, 20 Nov 2026 09:15:42 +0800\n"
        f"From: \"{b_word('王五', 'GB2312')}\" <wangwu@hospital.example>\n"
        f"To: \"{b_word('党建工作提醒', 'GB2312')}\" <{REPLY_TO}>\n"
        f"Subject: {b_word('回复: ' + SUBJECT, 'GB2312')}\n"
        "References: <notice.5f3a9c1e@hospital.example>\n"
        "X-Priority: 3\n"
        "X-GUID: 3E1B4C6A-2D7F-4A8B-9C0D-1E2F3A4B5C6D\n"
        "X-Has-Attach: yes\n"
        "X-Mailer: Foxmail 7.2.25.375[cn]\n"
        "Mime-Version: 1.0\n"
        "Message-ID: <202611200915418791253@hospital.example>\n"
        f"Content-Type: multipart/mixed;\n\tboundary=\"{outer}\"\n\n"
        "This is a multi-part message in MIME format.\n\n"
        f"--{outer}\n"
        f"Content-Type: multipart/alternative;\n\tboundary=\"{inner}\"\n\n\n"
        f"--{inner}\n"
        "Content-Type: text/plain;\n\tcharset=\"GB2312\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(body.replace(chr(10), chr(13) + chr(10)).encode('gb2312'))}\n\n"
        f"--{inner}\n"
        "Content-Type: text/html;\n\tcharset=\"GB2312\"\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        f"{qp(html, 'gb2312')}\n\n"
        f"--{inner}--\n\n"
        f"--{outer}\n"
        f"Content-Type: image/jpeg;\n\tname=\"{b_word('签到表.jpg', 'GB2312')}\"\n"
        "Content-Transfer-Encoding: base64\n"
        f"Content-Disposition: attachment;\n\tfilename=\"{b_word('签到表.jpg', 'GB2312')}\"\n\n"
        f"{b64(JPEG)}\n\n"
        f"--{outer}--\n\n\n")
    write("foxmail.eml", text)


def qqmail():
    body = ("完成\n\n\n\n\n------------------ 原始邮件 ------------------\n"
            "发件人: \"党建工作提醒\"<" + REPLY_TO + ">;\n"
            "发送时间: 2026年11月18日(星期三) 上午8:30\n"
            "收件人: \"王五\"<12345678@qq.com>;\n\n"
            f"主题: {SUBJECT}\n\n\n\n" + QUOTED_NOTICE.replace("“完成”", "“完成”"))
    html = ("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GB18030\"><div>完成</div><div><br></div>"
            "<div><br></div><div style=\"font-size: 12px;font-family: Arial Narrow;padding:2px 0 2px 0;\">"
            "------------------&nbsp;原始邮件&nbsp;------------------</div><div style=\"font-size: 12px;background:#efefef;"
            "padding:8px;\"><div><b>发件人:</b>&nbsp;\"党建工作提醒\"&lt;" + REPLY_TO + "&gt;;<br></div><div><b>发送时间:"
            "</b>&nbsp;2026年11月18日(星期三) 上午8:30</div></div><div>" + QUOTED_NOTICE + "</div>")
    boundary = "----=_NextPart_6739A1B2_0C4D8E20_3F5A6B7C"
    text = (
        "X-QQ-FEAT: 5T8bRmH2kZ6mCwM1bC8o2E2n3qBWRXVhV0Uz1sV0aPs=\n"
        "X-QQ-SSF: 00000000000000F000000000000000Z\n"
        "X-QQ-GoodBg: 0\n"
        "X-QQ-BIZINFO: 0\n"
        "X-Originating-IP: 183.62.1.20\n"
        f"In-Reply-To: <notice.5f3a9c1e@hospital.example>\n"
        "References: <notice.5f3a9c1e@hospital.example>\n"
        f"X-QQ-STYLE: \nX-QQ-mid: webmail713t1763626082t4612345\n"
        f"From: \"{b_word('王五', 'gb18030')}\" <12345678@qq.com>\n"
        f"To: \"{b_word('党建工作提醒', 'gb18030')}\" <{REPLY_TO}>\n"
        f"Subject: {b_word('回复：' + SUBJECT, 'gb18030')}\n"
        "Mime-Version: 1.0\n"
        f"Content-Type: multipart/alternative;\n\tboundary=\"{boundary}\"\n"
        "Content-Transfer-Encoding: 8Bit\n"
        "Date: Fri, 20 Nov 2026 16:08:02 +0800\n"
        "X-Priority: 3\n"
        "Message-ID: <tencent_1C3F2A9B7D8E6F5A4B3C2D1E0F9A8B7C6D05@qq.com>\n"
        "X-QQ-MIME: TCMime 1.0 by Tencent\n"
        "X-Mailer: QQMail 2.x\n"
        "X-QQ-Mailer: QQMail 2.x\n\n"
        "This is a multi-part message in MIME format.\n\n"
        f"--{boundary}\n"
        "Content-Type: text/plain;\n\tcharset=\"gb18030\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(body.replace(chr(10), chr(13) + chr(10)).encode('gb18030'))}\n\n"
        f"--{boundary}\n"
        "Content-Type: text/html;\n\tcharset=\"gb18030\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(html.encode('gb18030'))}\n\n"
        f"--{boundary}--\n\n")
    write("qqmail.eml", text)


def coremail():
    body = ("办结 2026-11-19 组织生活会已召开，会议记录见附件。\n\n\n\n\n\n\n\n\n"
            f"在 2026-11-18 08:30:00，\"党建工作提醒\" <{REPLY_TO}> 写道：\n"
            + "".join("> " + l + "\n" for l in QUOTED_NOTICE.split("\n")))
    outer = "----=_Part_123456_789012345.1763627400123"
    inner = "----=_Part_123457_1122334455.1763627400124"
    name = "会议记录（11月）.pdf"
    html = ('<div style="line-height:1.7;color:#000000;font-size:14px;font-family:Arial"><div>办结 2026-11-19 '
            '组织生活会已召开，会议记录见附件。</div><br><div id="isReplyContent"><div>在 2026-11-18 08:30:00，'
            '"党建工作提醒" &lt;' + REPLY_TO + '&gt; 写道：</div><blockquote id="isReplyContent">' + QUOTED_NOTICE
            + '</blockquote></div></div>')
    text = (
        f"Date: Fri, 20 Nov 2026 16:30:00 +0800 (CST)\n"
        f"From: \"{b_word('王五', 'GBK')}\" <wangwu@163.com>\n"
        f"To: \"{b_word('党建工作提醒', 'GBK')}\" <{REPLY_TO}>\n"
        f"Subject: {b_word('Re:' + SUBJECT, 'GBK')}\n"
        "X-Priority: 3\n"
        "X-Mailer: Coremail Webmail Server Version XT5.0.13 build 20210622(1d4788a8)\n"
        " Copyright (c) 2002-2026 www.mailtech.cn 163com\n"
        "In-Reply-To: <notice.5f3a9c1e@hospital.example>\n"
        "References: <notice.5f3a9c1e@hospital.example>\n"
        "X-NTES-SC: AL_Qu2bBP6ZukAq5yafZekfmk4Sg+o3W8G5vPwu3YZWN5k0smPa2yk=\n"
        f"Content-Type: multipart/mixed;\n\tboundary=\"{outer}\"\n"
        "MIME-Version: 1.0\n"
        "Message-ID: <6a1b2c3d.4e5f.19a7b8c9d0e.Coremail.wangwu@163.com>\n"
        "X-Coremail-Locale: zh_CN\n"
        "X-CM-TRANSID:_____wD3_5A4hR5nO9IDAA--.12345S2\n"
        "X-Coremail-Antispam: 1Uf129KBjDUn29KB7ZKAUJUUUUU529EdanIXcx71UUUUU7v73\n\n"
        f"--{outer}\n"
        f"Content-Type: multipart/alternative;\n\tboundary=\"{inner}\"\n\n"
        f"--{inner}\n"
        "Content-Type: text/plain; charset=GBK\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(body.replace(chr(10), chr(13) + chr(10)).encode('gbk'))}\n"
        f"--{inner}\n"
        "Content-Type: text/html; charset=GBK\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(html.encode('gbk'))}\n"
        f"--{inner}--\n\n"
        f"--{outer}\n"
        f"Content-Type: application/pdf; name=\"{b_word(name, 'GBK')}\"\n"
        "Content-Transfer-Encoding: base64\n"
        f"Content-Disposition: attachment; filename=\"{b_word(name, 'GBK')}\"\n\n"
        f"{b64(PDF)}\n"
        f"--{outer}--\n")
    write("coremail.eml", text)


def applemail():
    first = "完成 昨天\n签到表拍照附上。\n"
    second = ("\n发自我的iPhone\n\n"
              f"在 2026年11月18日，08:30，党建工作提醒 <{REPLY_TO}> 写道：\n\n"
              + "".join("> " + l + "\n" for l in QUOTED_NOTICE.split("\n")))
    boundary = "Apple-Mail=_8B0E4C2A-3D1F-4E6B-9A7C-5F2D1B3E4A6C"
    text = (
        "From: =?utf-8?B?546L5LqU?= <wangwu@icloud.com>\n"
        "Content-Type: multipart/mixed;\n\tboundary=\"" + boundary + "\"\n"
        "Content-Transfer-Encoding: 7bit\n"
        "Mime-Version: 1.0 (1.0)\n"
        f"Subject: {b_word('回复：' + SUBJECT, 'utf-8')}\n"
        "Date: Fri, 20 Nov 2026 21:40:13 +0800\n"
        "Message-Id: <5C3A1F2E-7B9D-4E8A-A1B2-C3D4E5F6A7B8@icloud.com>\n"
        "References: <notice.5f3a9c1e@hospital.example>\n"
        "In-Reply-To: <notice.5f3a9c1e@hospital.example>\n"
        f"To: =?utf-8?B?{base64.b64encode('党建工作提醒'.encode()).decode()}?= <{REPLY_TO}>\n"
        "X-Mailer: iPhone Mail (22B83)\n\n\n"
        f"--{boundary}\n"
        "Content-Type: text/plain;\n\tcharset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        f"{qp(first, 'utf-8')}\n"
        f"--{boundary}\n"
        "Content-Type: image/jpeg;\n\tname=IMG_2041.jpeg;\n\tx-apple-part-url=A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D\n"
        "Content-Disposition: inline;\n\tfilename=IMG_2041.jpeg\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(JPEG)}\n"
        f"--{boundary}\n"
        "Content-Type: text/plain;\n\tcharset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        f"{qp(second, 'utf-8')}\n"
        f"--{boundary}--\n")
    write("applemail.eml", text)


def gmail_html_only():
    html = ("<div dir=\"ltr\">done<div>会议纪要见附件</div></div><br><div class=\"gmail_quote\"><div dir=\"ltr\" "
            "class=\"gmail_attr\">党建工作提醒 &lt;<a href=\"mailto:" + REPLY_TO + "\">" + REPLY_TO + "</a>&gt; "
            "于2026年11月18日周三 08:30写道：<br></div><blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px "
            "0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex\">外科第二党支部：<br><br>直接回复本邮件“完成”即可登记"
            "<br></blockquote></div>\n")
    text = (
        "MIME-Version: 1.0\n"
        "References: <notice.5f3a9c1e@hospital.example>\n"
        "In-Reply-To: <notice.5f3a9c1e@hospital.example>\n"
        "From: Wu Wang <wangwu.hospital@gmail.com>\n"
        "Date: Fri, 20 Nov 2026 17:01:55 +0800\n"
        "Message-ID: <CAF3xYz1Qa7bC9dE0fG2hI4jK6lM8nO0pQ2rS4tU6vW8xY0zA1B@mail.gmail.com>\n"
        f"Subject: {b_word('Re: ' + SUBJECT, 'UTF-8')}\n"
        f"To: {b_word('党建工作提醒', 'UTF-8')} <{REPLY_TO}>\n"
        "Content-Type: text/html; charset=\"UTF-8\"\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        f"{qp(html, 'utf-8')}")
    write("gmail-html-only.eml", text)


def outlook_gb18030():
    # 王䶮 (U+4DAE, only in GB18030's four-byte range) and 𠀀 (U+20000, a supplementary-plane character).
    body = ("已办 昨天\n会议由王䶮主持，讨论了𠀀号文件。\n\n"
            "-----原始邮件-----\n发件人: 党建工作提醒 <plankeeper@hospital.example>\n"
            "发送时间: 2026年11月18日 8:30\n收件人: 王䶮\n主题: " + SUBJECT + "\n\n" + QUOTED_NOTICE)
    text = (
        f"From: {b_word('王䶮', 'gb18030')} <wangyan@hospital.example>\n"
        f"To: <{REPLY_TO}>\n"
        f"Subject: {b_word('答复: ' + SUBJECT, 'gb18030')}\n"
        "Date: Fri, 20 Nov 2026 10:11:12 +0800\n"
        "Message-ID: <001301db5a3d$0a1b2c30$1e2f3a4b$@hospital.example>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain;\n\tcharset=\"gb18030\"\n"
        "Content-Transfer-Encoding: quoted-printable\n"
        "X-Mailer: Microsoft Outlook 15.0\n"
        "Content-Language: zh-cn\n\n"
        f"{qp(body, 'gb18030')}")
    write("outlook-gb18030.eml", text)


def big5():
    body = ("完成 11/20\n簽到表見附件。\n\n"
            "寄件者: 黨建工作提醒 <plankeeper@hospital.example>\n寄件日期: 2026年11月18日 上午 08:30\n"
            "收件者: 陳大文\n主旨: 【提醒】支部委員會會議\n\n請直接回覆本郵件「完成」即可登記。\n")
    boundary = "_000_HK2PR01MB1234567890ABCDEFprod_"
    text = (
        f"From: {b_word('陳大文', 'big5')} <chantaiman@hospital.example.hk>\n"
        f"To: \"{b_word('黨建工作提醒', 'big5')}\" <{REPLY_TO}>\n"
        f"Subject: {b_word('回覆: 【提醒】支部委員會會議', 'big5')}\n"
        f"Thread-Topic: {b_word('【提醒】支部委員會會議', 'big5')}\n"
        "Date: Fri, 20 Nov 2026 11:22:33 +0800\n"
        "Message-ID: <HK2PR01MB1234567890ABCDEF@HK2PR01MB1234.apcprd01.prod.outlook.com>\n"
        "Accept-Language: zh-HK, en-US\n"
        "Content-Language: zh-HK\n"
        f"Content-Type: multipart/alternative;\n\tboundary=\"{boundary}\"\n"
        "MIME-Version: 1.0\n\n"
        f"--{boundary}\n"
        "Content-Type: text/plain; charset=\"big5\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64(body.replace(chr(10), chr(13) + chr(10)).encode('big5'))}\n\n"
        f"--{boundary}\n"
        "Content-Type: text/html; charset=\"big5\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64('<html><body><p>完成 11/20</p><p>簽到表見附件。</p></body></html>'.encode('big5'))}\n\n"
        f"--{boundary}--\n")
    write("big5.eml", text)


def outlook_autoreply():
    text = (
        f"From: {b_word('王五', 'gb2312')} <wangwu@hospital.example>\n"
        f"To: <{REPLY_TO}>\n"
        f"Subject: {b_word('自动答复: ' + SUBJECT, 'gb2312')}\n"
        "Date: Wed, 18 Nov 2026 08:31:02 +0800\n"
        "Message-ID: <autoreply.0001@hospital.example>\n"
        "Auto-Submitted: auto-replied\n"
        "X-Auto-Response-Suppress: All\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=\"gb2312\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        f"{b64('我正在休假，11月23日返回。已完成的事项请联系李四。'.encode('gb2312'))}\n")
    write("outlook-autoreply.eml", text)


def bounce():
    boundary = "4Ykq3B2mNbz9vW.1763434260/mail.hospital.example"
    text = (
        "Return-Path: <>\n"
        "From: MAILER-DAEMON@mail.hospital.example (Mail Delivery System)\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        f"To: {REPLY_TO}\n"
        "Auto-Submitted: auto-replied\n"
        "MIME-Version: 1.0\n"
        f"Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"{boundary}\"\n"
        "Message-Id: <20261118025100.4Ykq3B2mNbz9vW@mail.hospital.example>\n\n"
        f"--{boundary}\n"
        "Content-Description: Notification\n"
        "Content-Type: text/plain; charset=us-ascii\n\n"
        "This is the mail system at host mail.hospital.example.\n\n"
        "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
        "完成\n\n"
        f"--{boundary}\n"
        "Content-Description: Delivery report\n"
        "Content-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mail.hospital.example\n\n"
        "Final-Recipient: rfc822; nobody@hospital.example\nAction: failed\nStatus: 5.1.1\n\n"
        f"--{boundary}--\n")
    write("bounce.eml", text)


def quoted_only():
    body = ("\n\n在 2026年11月18日 08:30，党建工作提醒 <" + REPLY_TO + "> 写道：\n"
            "> 完成\n> " + QUOTED_NOTICE.replace("\n", "\n> ") + "\n")
    text = (
        "From: =?UTF-8?B?546L5LqU?= <wangwu@hospital.example>\n"
        f"To: {REPLY_TO}\n"
        f"Subject: =?UTF-8?B?{base64.b64encode(('回复：' + SUBJECT).encode()).decode()}?=\n"
        "Date: Fri, 20 Nov 2026 12:00:00 +0800\n"
        "Message-ID: <quoted-only.1@hospital.example>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8; format=flowed\n"
        "Content-Transfer-Encoding: 8bit\n\n").encode() + body.replace("\n", "\r\n").encode()
    write("quoted-only.eml", text)


if __name__ == "__main__":
    for make in [outlook_zh, foxmail, qqmail, coremail, applemail, gmail_html_only, outlook_gb18030, big5,
                 outlook_autoreply, bounce, quoted_only]:
        make()
    print("\n".join(sorted(os.listdir(HERE))))
