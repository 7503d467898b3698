"""Sending a report by mail: SMTP settings from the configuration, a Vietnamese subject and body,
the PDF attached. Standard library only (``smtplib``, ``email``).

A failed send raises :class:`MailError` whose message is the reason as the server or the network
gave it (connection refused, login refused, STARTTLS not offered, a recipient refused…), so the
command line can say it and exit non-zero; the file written before the send stays where it is.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import settings

#: Seconds to wait for the server before giving up.
TIMEOUT = 30


class MailError(RuntimeError):
    """The mail was not sent; the message says why."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send: host, port, STARTTLS, login (user and password), sender, recipients."""

    host: str
    port: int
    starttls: bool
    user: str
    password: str
    sender: str
    recipients: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """A host, a sender and at least one recipient: enough to try."""
        return bool(self.host and self.sender and self.recipients)


def configured() -> MailSettings:
    """The mail settings (``IOC_SMTP_*``, ``IOC_MAIL_*``; the password best kept in secrets.toml)."""
    to = [a.strip() for a in str(settings.get("IOC_MAIL_TO")).replace(";", ",").split(",")]
    return MailSettings(
        host=str(settings.get("IOC_SMTP_HOST")),
        port=int(settings.get("IOC_SMTP_PORT")),
        starttls=str(settings.get("IOC_SMTP_STARTTLS")) in ("true", "1", "yes", "on"),
        user=str(settings.get("IOC_SMTP_USER")),
        password=str(settings.get("IOC_SMTP_PASSWORD")),
        sender=str(settings.get("IOC_MAIL_FROM")),
        recipients=tuple(a for a in to if a),
    )


def message(conf: MailSettings, subject: str, body: str, pdf: bytes, file_name: str) -> EmailMessage:
    """The mail: plain-text body (UTF-8), the PDF attached under ``file_name``."""
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, conf.sender, ", ".join(conf.recipients)
    msg["Date"], msg["Message-ID"] = formatdate(localtime=True), make_msgid(domain="ioc.local")
    msg.set_content(body)
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_name)
    return msg


def send(conf: MailSettings, msg: EmailMessage) -> None:
    """Send ``msg``; raises :class:`MailError` with the reason when it was not accepted."""
    try:
        with smtplib.SMTP(conf.host, conf.port, timeout=TIMEOUT) as smtp:
            if conf.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if conf.user:
                smtp.login(conf.user, conf.password)
            refused = smtp.send_message(msg)
    except smtplib.SMTPResponseException as exc:
        text = (
            exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        raise MailError(f"{conf.host}:{conf.port}: {exc.smtp_code} {text}") from None
    except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, unreachable, timeout, TLS
        reason = str(exc) or type(exc).__name__
        raise MailError(f"{conf.host}:{conf.port}: {reason}") from None
    if refused:
        raise MailError("; ".join(f"{addr}: {code} {text!r}" for addr, (code, text) in refused.items()))
