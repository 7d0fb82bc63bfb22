"""The select boxes drawn in Python are, byte for byte, what Django's
templates draw, but for the blank choice's words and a required select's
only choice, which comes chosen."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from renda.core import rendering
from renda.core.models import Region
from renda.core.rendering import FormRenderer

_draw = rendering.select_html


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & 乙"), ("b", '"引号"')])
    grouped = forms.ChoiceField(
        choices=[("县", [("1", "青山镇"), ("2", "龙泉镇")]), ("x", "其他")], required=False
    )
    numbers = forms.TypedChoiceField(choices=[(1, "一"), (2, "二")], coerce=int)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "<c>")])
    safe = forms.ChoiceField(choices=[("s", mark_safe("<b>粗</b>")), ("t", "细")])
    region = forms.ModelChoiceField(queryset=Region.objects.order_by("code"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plain"].widget.attrs.update(
            {"class": "form-select", "data-x": "<&>", "disabled": False, "autofocus": True}
        )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a", "grouped": "2", "numbers": "2", "many": ["a", "c"], "safe": "s"},
        {"plain": "b", "grouped": "x", "many": ["b"]},
    ],
)
def test_every_select_is_drawn_as_djangos_templates_draw_it(world, data, monkeypatch):
    drawn = []
    monkeypatch.setattr(rendering, "select_html", lambda w: drawn.append(w) or _draw(w))
    region = Region.objects.order_by("code").first()
    data = {**data, "region": str(region.pk)} if data else data
    fast = Everything(data or None, renderer=FormRenderer())
    slow = Everything(data or None, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(fast[name]) == str(slow[name]).replace(*rendering.BLANK), name
    assert len(drawn) == len(Everything.base_fields)  # every select took the fast path
    assert "selected" in str(fast["region"]) or not data


def test_the_site_draws_forms_with_it(settings):
    assert settings.FORM_RENDERER == "renda.core.rendering.FormRenderer"


def test_django_s_blank_choice_reads_please_choose_and_a_form_s_own_stays():
    class Blanks(forms.Form):
        plain = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")], required=False)
        named = forms.ModelChoiceField(
            queryset=Region.objects.none(), required=False, empty_label="全部乡镇"
        )
        model = forms.ModelChoiceField(queryset=Region.objects.none(), required=False)

    form = Blanks(renderer=FormRenderer())
    assert '<option value="" selected>请选择</option>' in str(form["plain"])
    assert '<option value="" selected>全部乡镇</option>' in str(form["named"])
    assert '<option value="" selected>请选择</option>' in str(form["model"])
    assert "---------" not in str(form)


def test_a_required_select_with_one_choice_comes_chosen():
    class One(forms.Form):
        required = forms.ChoiceField(choices=[("", "---------"), ("a", "青山镇")])
        optional = forms.ChoiceField(choices=[("", "---------"), ("a", "青山镇")], required=False)
        two = forms.ChoiceField(choices=[("", "---------"), ("a", "青山镇"), ("b", "龙泉镇")])
        many = forms.MultipleChoiceField(choices=[("a", "青山镇")])

    form = One(renderer=FormRenderer())
    assert '<option value="a" selected>青山镇</option>' in str(form["required"])
    assert '<option value="" selected>请选择</option>' not in str(form["required"])
    assert '<option value="" selected>请选择</option>' in str(form["optional"])
    assert '<option value="" selected>请选择</option>' in str(form["two"])
    assert "selected" not in str(form["many"])
