"""An arithmetic captcha that needs no outside service (county servers are
offline): a small sum shown as text, so screen readers can read it, and a
signed token holding a keyed digest of the answer, never the answer itself.

A token is good for `MAX_AGE` seconds and for one successful submission
(its nonce is counted in the database, renda.opinions.abuse). It is a speed bump for scripts,
not a wall: the rate limits in `abuse.py` are what stop a flood.
"""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from renda.opinions import abuse

MAX_AGE = 10 * 60
_SALT = "renda.opinions.captcha"


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(_SALT, f"{nonce}:{answer}").hexdigest()


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        question, answer = f"{a} 加 {b} 等于几？", a + b
    else:
        a, b = max(a, b), min(a, b)
        question, answer = f"{a} 减 {b} 等于几？", a - b
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, answer)}, salt=_SALT)
    return Challenge(question=question, token=token)


def _payload(token: str) -> dict:
    return signing.loads(token, salt=_SALT, max_age=MAX_AGE)


def problem(token: str, answer: str) -> str | None:
    """None when `answer` solves the token's question; else what to tell the person."""
    try:
        payload = _payload(token)
    except signing.SignatureExpired:
        return "验证码已过期，请回答新的验证问题"
    except signing.BadSignature:
        return "验证码无效，请回答新的验证问题"
    answer = (answer or "").strip()
    if not answer.isdigit() or len(answer) > 3:
        return "验证码请填写数字答案"
    if not constant_time_compare(payload["d"], _digest(payload["n"], int(answer))):
        return "验证码答案不正确，请重新计算"
    return None


def consume(token: str) -> bool:
    """Mark the token used; False when it already was (a replay)."""
    nonce = _payload(token)["n"]
    return abuse.count(_used_key(nonce), seconds=MAX_AGE + 60) == 1


def _used_key(nonce: str) -> str:
    return f"captcha:{nonce}"


def solve(question: str) -> int:
    """The answer to a question this module asked (tests and the browser
    test read the question as a person would)."""
    a, op, b = question.rstrip("等于几？").split()
    return int(a) + int(b) if op == "加" else int(a) - int(b)
