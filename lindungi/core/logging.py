"""Log records without the secrets some addresses carry.

A legal-calendar subscription address holds the token that opens the feed, a password-reset
address the key that sets a password, an e-mail confirmation address its key. Django's request
logger writes the path of every 404 and 500 ("Not Found: /legal/calendar/<token>.ics"); this
filter, on the project's log handler, puts a placeholder in the secret's place. nginx's access log
masks the same paths (deploy/nginx.conf).
"""

from __future__ import annotations

import logging
import re

_SECRET_PATHS = [
    (re.compile(r"/legal/calendar/[^/\s]+\.ics"), "/legal/calendar/[token].ics"),
    (re.compile(r"/accounts/password/reset/key/(?!done/|[0-9A-Za-z]+-set-password/)[^/\s]+/"),
     "/accounts/password/reset/key/[key]/"),
    (re.compile(r"/accounts/confirm-email/[^/\s]+/"), "/accounts/confirm-email/[key]/"),
]


def without_secrets(text: str) -> str:
    for pattern, placeholder in _SECRET_PATHS:
        text = pattern.sub(placeholder, text)
    return text


class WithoutSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_secrets(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
