"""A :class:`~amtslotse.core.mail.Mail` as a real message: text, HTML and the calendar file.

``multipart/mixed`` with a ``multipart/alternative`` (plain text first, then
HTML, as RFC 2046 orders them) and ``termin.ics`` as an attachment. The text
part has one sentence per line, sections apart by a blank line, and each
link on a line of its own. The HTML part is the same sentences, escaped,
with the cancel link as a button; a line that ends with ":" introduces a
list that runs to the next such line or the end of the section (what to
bring, as ``summary_lines`` puts it last). No remote images, no scripts, no tracking.
"""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from html import escape

from amtslotse.core.mail import Mail, Section

_P = '<p style="margin:0 0 6px">'
_LINK_STYLE = (
    "display:inline-block;padding:12px 20px;background:#0b4f8a;color:#ffffff;"
    "text-decoration:none;border-radius:6px;font-weight:bold"
)


def text_part(mail: Mail) -> str:
    blocks = []
    for section in mail.sections:
        lines = list(section.lines)
        if section.link is not None:
            lines += [section.link.intro, section.link.url]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _section_html(section: Section) -> str:
    out: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            out.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
            items.clear()

    in_list = False
    for line in section.lines:
        if in_list and not line.endswith(":"):
            items.append(line)
            continue
        close_list()
        in_list = line.endswith(":")
        out.append(f"{_P}{escape(line)}</p>")
    close_list()
    if section.link is not None:
        out.append(
            f'{_P}<a href="{escape(section.link.url, quote=True)}" style="{_LINK_STYLE}">'
            f"{escape(section.link.title)}</a></p>"
        )
    return "\n".join(out)


def html_part(mail: Mail) -> str:
    body = "\n<hr>\n".join(_section_html(s) for s in mail.sections)
    return (
        '<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(mail.subject)}</title>\n</head>\n"
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:18px;line-height:1.5;'
        'color:#1a1a1a;max-width:40em">\n'
        f"{body}\n</body>\n</html>\n"
    )


def build_message(
    mail: Mail,
    *,
    to_name: str,
    to_address: str,
    sender: str,
    now: datetime,
    ics: bytes | None = None,
) -> EmailMessage:
    """The message to hand to a transport. ``sender`` is MAIL_FROM ("Name <addr>")."""
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    local, _, domain = to_address.rpartition("@")
    message["To"] = Address(display_name=to_name, username=local, domain=domain)
    message["Date"] = format_datetime(now)
    sender_domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=sender_domain)
    # RFC 3834: no out-of-office replies to a machine's message.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text_part(mail))
    message.add_alternative(html_part(mail), subtype="html")
    if ics is not None:
        message.add_attachment(
            ics,
            maintype="text",
            subtype="calendar",
            filename="termin.ics",
            params={"method": "PUBLISH"},
        )
    return message
