"""Chinese text helpers shared by every app: numerals and masking."""

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Write 1-99 the way term and session names do: 18 -> 十八, 20 -> 二十, 3 -> 三."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def term_label(number: int) -> str:
    """How a term (届) is written, on a term and on a mandate: 18 -> 第十八届."""
    return f"第{chinese_number(number)}届"


# 第十八届 -> 18, for every label term_label writes.
TERM_NUMBERS = {term_label(number): number for number in range(1, 100)}


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """Hide all but the first and last characters: 13812345678 -> 138****5678."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")
