"""Name search keys: full pinyin and initials, so "zs" and "zhangsan" find 张三."""

from pypinyin import Style, lazy_pinyin

# Surnames read differently from the same character elsewhere (单 is shan as a
# surname, dan in 单位): read the first character of a name this way.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "仇": "qiu",
    "区": "ou",
    "解": "xie",
    "查": "zha",
    "朴": "piao",
    "乐": "yue",
    "缪": "miao",
    "翟": "zhai",
    "覃": "qin",
    "盖": "ge",
    "召": "shao",
    "种": "chong",
    "员": "yun",
    "折": "she",
    "秘": "bi",
    "繁": "po",
}


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case without spaces: 张三 -> ("zhangsan", "zs")."""
    name = name.strip()
    if not name:
        return "", ""
    head = SURNAME_READINGS.get(name[0])
    syllables = ([head] if head else lazy_pinyin(name[0], errors="ignore")) + lazy_pinyin(
        name[1:], style=Style.NORMAL, errors="ignore"
    )
    syllables = [s.lower() for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)
