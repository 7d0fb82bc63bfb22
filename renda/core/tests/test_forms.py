"""How a refused form or service reads to the user (renda.core.forms)."""

import datetime
import importlib
import inspect
import pkgutil

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from renda.core.forms import DateInput, QueryForm, error_lines, error_text, service_error_text
from renda.core.workflow import TransitionError


class _Query(QueryForm):
    township = forms.ChoiceField(
        label="乡镇（街道）",
        choices=[("", "全部"), ("1", "白沙镇")],
        error_messages={"required": "请选择", "invalid_choice": "不在范围内"},
    )
    year = forms.IntegerField(
        label="年度", required=False, min_value=2000, error_messages={"min_value": "太早"}
    )

    SCOPE_FIELDS = ("township",)

    def clean(self):
        data = super().clean()
        if data.get("year") == 2001:
            raise ValidationError("这一年没有记录")
        return data


def test_each_error_follows_its_field_s_label_and_the_form_s_own_stands_alone():
    form = _Query({"township": "1", "year": "2001"})
    assert not form.is_valid()
    assert error_lines(form) == ["这一年没有记录"]
    form = _Query({"township": "", "year": "1999"})
    assert not form.is_valid()
    assert form.error_lines() == ["乡镇（街道）：请选择", "年度：太早"]
    assert error_text(form) == "乡镇（街道）：请选择；年度：太早"


def test_a_choice_outside_the_scope_is_out_of_scope_other_errors_are_not():
    assert _Query({"township": "2"}).out_of_scope
    assert not _Query({"township": "", "year": "1999"}).out_of_scope
    assert not _Query({"township": "1"}).out_of_scope


def test_a_service_refusal_reads_as_one_message_with_the_labels_given():
    refusal = ValidationError({"reason": ["请填写撤回理由"], "title": ["标题过长"]})
    assert (
        service_error_text(refusal, {"reason": "撤回理由"}) == "撤回理由：请填写撤回理由；标题过长"
    )
    assert service_error_text(refusal) == "请填写撤回理由；标题过长"
    assert service_error_text(ValidationError(["已提交", "不能修改"])) == "已提交；不能修改"
    assert service_error_text(TransitionError("当前状态不能签收")) == "当前状态不能签收"


def _project_forms():
    import renda

    for info in pkgutil.walk_packages(renda.__path__, "renda."):
        if ".forms" in info.name and ".tests" not in info.name:
            module = importlib.import_module(info.name)
            for form in vars(module).values():
                if (
                    inspect.isclass(form)
                    and issubclass(form, forms.BaseForm)
                    and form.__module__ == module.__name__
                ):
                    yield form


def test_every_date_field_is_a_date_picker_prefilled_in_iso():
    """A prefilled date must reach the browser's picker as 2026-11-23: in
    zh-hans Django writes 2026/11/23, which the picker drops, and the
    reception form showed an empty date instead of today."""
    fields = [
        (form.__name__, name, field)
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    ]
    assert len(fields) > 20
    for form_name, name, field in fields:
        assert isinstance(field.widget, DateInput), f"{form_name}.{name}"
    with translation.override("zh-hans"):
        html = DateInput().render("held_on", datetime.date(2026, 11, 23))
    assert 'type="date"' in html
    assert 'value="2026-11-23"' in html
