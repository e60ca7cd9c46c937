"""E-mail a unit its task list: one message per unit with the three files attached (smtplib).

Sent only when SMTP is configured (`CONGVAN_SMTP_HOST`, see `pipeline.settings`) and the unit has an
e-mail address in the registry. One connection serves a whole batch.
"""
from __future__ import annotations

import mimetypes
import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Iterator

from pipeline.settings import SmtpSettings

MEDIA_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".ics": "text/calendar"}


def build_message(sender: str, to: str, subject: str, body: str, attachments: list[Path]) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="congvan")
    message.set_content(body)
    for path in attachments:
        media = MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
            or "application/octet-stream"
        maintype, subtype = media.split("/", 1)
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


@contextmanager
def smtp_connection(settings: SmtpSettings, timeout: float = 30) -> Iterator[smtplib.SMTP]:
    """An open, logged-in SMTP connection (plain, STARTTLS or SSL as configured)."""
    if settings.tls == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    try:
        if settings.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password or "")
        yield client
    finally:
        try:
            client.quit()
        except smtplib.SMTPException:
            client.close()
