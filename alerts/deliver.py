"""Delivery of one alert message: by e-mail (SMTP, settings ``IOC_SMTP_*``) to a ``mailto:``
channel, or as an HTTP POST of a small JSON body to an ``http(s)://`` webhook (a chat bot).

Any failure raises :class:`DeliveryError` with one line saying why; the caller keeps the message
and tries again later (``alerts.watch``). Standard library only.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any

import settings

TIMEOUT_SECONDS = 10
_TRUE = ("true", "1", "yes", "on")


class DeliveryError(Exception):
    """The message could not be delivered (server down, refused, misconfigured)."""


def deliver(channel: str, subject: str, body: str, payload: dict[str, Any]) -> None:
    """Send one message to ``channel``; raises :class:`DeliveryError`."""
    if channel.startswith("mailto:"):
        _mail(channel.removeprefix("mailto:"), subject, body)
    elif channel.startswith(("http://", "https://")):
        _post(channel, {**payload, "subject": subject, "text": body})
    else:
        raise DeliveryError(f"unknown channel {channel[:60]!r}")


def _mail(address: str, subject: str, body: str) -> None:
    host = str(settings.get("IOC_SMTP_HOST"))
    if not host:
        raise DeliveryError("no mail server: set IOC_SMTP_HOST")
    message = EmailMessage()
    message["Subject"], message["To"] = subject, address
    message["From"] = str(settings.get("IOC_MAIL_FROM")) or "ioc@localhost"
    message.set_content(body)
    try:
        with smtplib.SMTP(host, int(settings.get("IOC_SMTP_PORT")), timeout=TIMEOUT_SECONDS) as smtp:
            if str(settings.get("IOC_SMTP_STARTTLS")) in _TRUE:
                smtp.starttls()
            user = str(settings.get("IOC_SMTP_USER"))
            if user:
                smtp.login(user, str(settings.get("IOC_SMTP_PASSWORD")))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"mail to {address}: {type(exc).__name__}: {exc}".splitlines()[0]) from None


def _post(url: str, payload: dict[str, Any]) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            if not 200 <= answer.status < 300:
                raise DeliveryError(f"webhook answered {answer.status}")
    except (OSError, urllib.error.URLError) as exc:
        raise DeliveryError(f"webhook: {type(exc).__name__}: {exc}".splitlines()[0]) from None
