"""Forms of the points scheme pages: scheme versions, categories and items,
awards, correction requests and answers, publications. They parse and
check input only; every write goes through renda.duties.services, whose
field errors land on the field of the same name (`renda.core.forms.add_service_error`)."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from renda.core.areas import Area
from renda.core.forms import DateInput
from renda.core.models import Region, RegionLevel
from renda.deputies.models import Person
from renda.duties.models import (
    Attendance,
    DutyKind,
    ItemBasis,
    PointsItem,
    PointsScheme,
)

BAND_ROWS = 5
STAR_LEVELS = (5, 4, 3, 2, 1)
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    """A month typed as 2026-07 (a month picker on phones), read as its 1st day."""

    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, datetime.date) or not value:
            return value or None
        match = MONTH.match(value.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValidationError("请按“2026-07”的格式选择月份")
        return datetime.date(int(match[1]), int(match[2]), 1)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value


def managed_regions(user):
    """Regions whose scheme, scores and publications the user runs: their
    own region and the townships below it (every county and township for
    the administrator)."""
    return Region.objects.visible_to(user).filter(
        level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET]
    )


def deputies_for(user):
    """Serving deputies the user's office looks after."""
    return (
        Person.objects.visible_to(user)
        .serving()
        .select_related("region")
        .order_by("region__code", "name_pinyin")
    )


def offer_deputies(form, user, area: Area | None) -> None:
    """A form's `person` select: the deputies the user's office looks after,
    and on a province's server the picked county's only (a link naming a
    deputy opens on the deputy's county; renda/core/areas.py)."""
    field = form.fields["person"]
    field.queryset = deputies_for(user)
    chosen = form.data.get("person") or form.initial.get("person")
    form.area = (area or Area()).around_row(field.queryset, chosen)
    form.area.offer(field)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


# --- scheme versions ------------------------------------------------------------------


class SchemeForm(forms.Form):
    region = forms.ModelChoiceField(
        label="适用区划", queryset=Region.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label="方案名称",
        max_length=80,
        help_text="如：测试县人大代表履职积分管理办法（2027年修订）",
    )
    effective_from = MonthField(
        label="生效月份", help_text="从该月1日起生效；原方案至前一日失效，此前各月积分不变"
    )
    source = forms.CharField(
        label="依据", max_length=200, help_text="印发文件的名称和文号，如：测人大常发〔2026〕5号"
    )
    scale = forms.IntegerField(label="满分", min_value=10, max_value=1000, initial=100)
    copy_items = forms.BooleanField(label="复制现行方案的类别和计分项目", required=False)

    def __init__(self, *args, user, current: PointsScheme | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = managed_regions(user)
        self.current = current
        if current is None:
            del self.fields["copy_items"]
        else:
            self.fields["copy_items"].label = f"复制现行方案“{current.name}”的类别和计分项目"


class BandsForm(forms.Form):
    """等次 and 星级 as rows of a small table rather than raw JSON."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, BAND_ROWS + 1):
            self.fields[f"band_label_{i}"] = forms.CharField(
                label=f"第{i}行等次名称", max_length=10, required=False
            )
            self.fields[f"band_min_{i}"] = forms.IntegerField(
                label=f"第{i}行等次最低分", min_value=0, max_value=1000, required=False
            )
        for stars in STAR_LEVELS:
            self.fields[f"star_min_{stars}"] = forms.IntegerField(
                label=f"{stars}星最低分", min_value=0, max_value=1000, required=False
            )

    def band_rows(self):
        return [(self[f"band_label_{i}"], self[f"band_min_{i}"]) for i in range(1, BAND_ROWS + 1)]

    def star_rows(self):
        return [(stars, self[f"star_min_{stars}"]) for stars in STAR_LEVELS]

    def clean(self):
        data = super().clean()
        bands = []
        for i in range(1, BAND_ROWS + 1):
            label, low = data.get(f"band_label_{i}", ""), data.get(f"band_min_{i}")
            if f"band_min_{i}" in self.errors:
                continue
            if label and low is None:
                self.add_error(f"band_min_{i}", f"请填写“{label}”的最低分")
            elif low is not None and not label:
                self.add_error(f"band_label_{i}", "请填写等次名称")
            elif label:
                bands.append({"min": low, "label": label.strip()})
        if len({band["min"] for band in bands}) < len(bands):
            self.add_error(None, "等次：两个等次的最低分不能相同")
        stars = [
            {"min": data[f"star_min_{n}"], "stars": n}
            for n in STAR_LEVELS
            if data.get(f"star_min_{n}") is not None
        ]
        ordered = [row["min"] for row in stars]
        if ordered != sorted(ordered, reverse=True) or len(set(ordered)) < len(ordered):
            self.add_error(None, "星级：星级越高，最低分应越高")
        data["bands"] = sorted(bands, key=lambda band: -band["min"])
        data["stars"] = stars
        return data

    @staticmethod
    def initial_for(scheme: PointsScheme | None) -> dict:
        """Rows filled from a scheme (the current one), or the usual defaults."""
        bands = (
            scheme.bands
            if scheme
            else [
                {"min": 90, "label": "优秀"},
                {"min": 75, "label": "良好"},
                {"min": 60, "label": "合格"},
                {"min": 0, "label": "不合格"},
            ]
        )
        stars = (
            scheme.stars
            if scheme
            else [{"min": m, "stars": n} for m, n in ((90, 5), (80, 4), (70, 3), (60, 2), (0, 1))]
        )
        initial = {}
        for i, band in enumerate(sorted(bands, key=lambda b: -b["min"])[:BAND_ROWS], start=1):
            initial[f"band_label_{i}"], initial[f"band_min_{i}"] = band["label"], band["min"]
        for row in stars:
            if row["stars"] in STAR_LEVELS:
                initial[f"star_min_{row['stars']}"] = row["min"]
        return initial


class CategoryForm(forms.Form):
    name = forms.CharField(label="类别名称", max_length=60, help_text="如：闭会期间工作")
    order = forms.IntegerField(label="序号", min_value=0, max_value=999, initial=0)


# --- items -------------------------------------------------------------------------------

KIND_CHOICES = [
    (f"{kind}:{attendance}", f"{kind.label}（{attendance.label}）")
    for kind in DutyKind
    for attendance in Attendance
]


class ItemForm(forms.Form):
    category = forms.ModelChoiceField(label="类别", queryset=None, empty_label=None)
    name = forms.CharField(label="计分项目", max_length=120, help_text="如：参加视察、调研")
    basis = forms.ChoiceField(label="计分方式", choices=ItemBasis.choices)
    points = forms.DecimalField(
        label="每次分值",
        max_digits=6,
        decimal_places=1,
        help_text="扣分项填负数，如 -2；按认定加减分的项目可填 0",
    )
    cap = forms.DecimalField(
        label="全年上限",
        max_digits=6,
        decimal_places=1,
        required=False,
        min_value=0.1,
        help_text="本项全年最多计（扣）多少分，不限可不填",
    )
    order = forms.IntegerField(label="序号", min_value=0, max_value=999, initial=0)
    kinds = forms.MultipleChoiceField(label="对应的履职类型", choices=KIND_CHOICES, required=False)

    def __init__(self, *args, scheme: PointsScheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = scheme.categories.all()

    def clean(self):
        data = super().clean()
        data["kind_pairs"] = [tuple(value.split(":", 1)) for value in data.get("kinds", [])]
        if data.get("basis") != ItemBasis.RECORDS:
            data["kind_pairs"] = []
        return data

    @staticmethod
    def initial_for(item: PointsItem) -> dict:
        return {
            "category": item.category_id,
            "name": item.name,
            "basis": item.basis,
            "points": item.points,
            "cap": item.cap,
            "order": item.order,
            "kinds": [f"{k.kind}:{k.attendance}" for k in item.kinds.all()],
        }


def kind_grid(form: ItemForm, taken: dict) -> list[dict]:
    """Rows of the kinds checkbox grid: one per duty kind, a cell per
    attendance, each marked checked or taken by another item."""
    chosen = set(form["kinds"].value() or [])
    rows = []
    for kind in DutyKind:
        cells = []
        for attendance in Attendance:
            value = f"{kind}:{attendance}"
            cells.append(
                {
                    "value": value,
                    "label": attendance.label,
                    "checked": value in chosen,
                    "taken_by": taken.get(value, ""),
                }
            )
        rows.append({"label": kind.label, "cells": cells})
    return rows


# --- awards, corrections, publications -------------------------------------------------


class AwardForm(forms.Form):
    person = PersonChoiceField(label="代表", queryset=Person.objects.none())
    item = forms.ModelChoiceField(
        label="认定项目",
        queryset=PointsItem.objects.none(),
        help_text="只列出“按认定加减分”的项目",
    )
    awarded_on = forms.DateField(label="认定日期", widget=DateInput)
    points = forms.DecimalField(
        label="分值", max_digits=6, decimal_places=1, help_text="扣分填负数，如 -5"
    )
    reason = forms.CharField(
        label="事由",
        max_length=200,
        help_text="如：被评为县级优秀人大代表（测人大常发〔2026〕9号）",
    )

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_deputies(self, user, area)
        self.fields["item"].queryset = (
            PointsItem.objects.filter(
                basis=ItemBasis.AWARD, scheme__in=PointsScheme.objects.visible_to(user)
            )
            .select_related("scheme")
            .order_by("-scheme__effective_from", "order", "pk")
        )
        self.fields["item"].label_from_instance = lambda item: f"{item.name}（{item.scheme.name}）"


class CorrectionRequestForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    item = forms.ModelChoiceField(
        label="有疑问的积分项目",
        queryset=PointsItem.objects.none(),
        required=False,
        empty_label="（不限于某一项）",
    )
    reason = forms.CharField(
        label="申请更正的理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明哪次活动、哪条记录，如：9月参加的县人大执法检查没有计分",
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class CorrectionAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="处理结果",
        choices=[("accept", "采纳"), ("refuse", "不予采纳")],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label="处理意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明理由，代表会在本人积分页面看到",
    )
    award_item = forms.ModelChoiceField(
        label="调整积分的项目",
        queryset=PointsItem.objects.none(),
        required=False,
        empty_label="（不调整积分）",
        help_text="采纳且需要加减分时选择；只列出“按认定加减分”的项目",
    )
    award_points = forms.DecimalField(
        label="调整分值", max_digits=6, decimal_places=1, required=False, help_text="扣分填负数"
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_item"].queryset = items

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse":
            data["award_item"] = None
        elif data.get("award_item") and data.get("award_points") is None:
            self.add_error("award_points", "选择了调整积分的项目，请填写调整分值")
        elif data.get("award_points") is not None and not data.get("award_item"):
            self.add_error("award_item", "填写了调整分值，请选择调整积分的项目")
        return data


class PublicationForm(forms.Form):
    region = forms.ModelChoiceField(
        label="公示范围", queryset=Region.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="公示标题", max_length=80, help_text="如：青山镇2026年第三季度代表履职积分公示"
    )
    as_of = forms.DateField(label="统计截止日期", widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = managed_regions(user)

    def clean(self):
        data = super().clean()
        if data.get("as_of") and data.get("year") and data["as_of"].year != data["year"]:
            self.add_error("as_of", "统计截止日期应在公示年度内")
        return data
