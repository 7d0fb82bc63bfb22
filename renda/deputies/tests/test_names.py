import pytest

from renda.deputies.names import pinyin_keys


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("张三", ("zhangsan", "zs")),
        ("单雄信", ("shanxiongxin", "sxx")),
        ("曾国藩", ("zengguofan", "zgf")),
        ("", ("", "")),
    ],
)
def test_pinyin_keys_read_surnames_as_surnames(name, keys):
    assert pinyin_keys(name) == keys
