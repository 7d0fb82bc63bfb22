"""Forms of the evaluation pages: rounds, voters' tallies, closing, the
four-good deputy list and duty reports to voters. They parse and check
input only; writes go through renda.duties.services."""

from django import forms

from renda.core.areas import Area
from renda.core.forms import DateInput
from renda.deputies.models import Group, Station
from renda.duties.forms_points import (
    PersonChoiceField,
    managed_regions,
    offer_deputies,
)
from renda.duties.models import RoundKind, RoundMethod


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label="评议类型", choices=RoundKind.choices)
    method = forms.ChoiceField(label="评价方式", choices=RoundMethod.choices)
    title = forms.CharField(label="名称", max_length=80, help_text="如：东河村代表联络站11月互评")
    region = forms.ModelChoiceField(label="范围", queryset=None, empty_label=None)
    period_from = forms.DateField(label="评议期间起", widget=DateInput)
    period_to = forms.DateField(label="评议期间止", widget=DateInput)
    station = forms.ModelChoiceField(
        label="联络站",
        queryset=None,
        required=False,
        help_text="联络站内互评时选择：由进站代表相互评价",
    )
    group = forms.ModelChoiceField(
        label="代表小组",
        queryset=None,
        required=False,
        help_text="代表小组互评时选择：由小组成员相互评价",
    )

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = managed_regions(user)
        self.fields["station"].queryset = Station.objects.visible_to(user).filter(active=True)
        self.fields["group"].queryset = Group.objects.visible_to(user)
        # A province's staff see its counties, and the townships, stations and
        # groups of the county they pick.
        self.area = area or Area()
        self.area.offer_places(self.fields["region"])
        self.area.offer(self.fields["station"])
        self.area.offer(self.fields["group"])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind != RoundKind.PEER:
            data["station"] = None
        if kind != RoundKind.GROUP:
            data["group"] = None
        region = data.get("region")
        for name in ("station", "group"):
            chosen = data.get(name)
            if chosen is not None and region is not None and not chosen.region.is_within(region):
                self.add_error(name, f"{chosen}不在{region}范围内")
        return data


class EnterForm(forms.Form):
    """Voters' rating of one deputy, tallied on paper and entered by staff."""

    subject = PersonChoiceField(label="被评代表", queryset=None)
    voters = forms.IntegerField(label="参评选民人数", min_value=1, max_value=100000, required=False)
    value = forms.DecimalField(label="评价结果", max_digits=5, decimal_places=1)
    comment = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, subjects, method, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects.select_related("region")
        if method == RoundMethod.STARS:
            self.fields["value"].help_text = "选民评价的平均星级，1 至 5，可带一位小数"
        else:
            self.fields["value"].help_text = "选民评价的平均分，0 至 100，可带一位小数"


class CloseForm(forms.Form):
    publish = forms.BooleanField(label="公开评议结果（代表可以看到各人的平均结果）", required=False)


class FourGoodForm(forms.Form):
    person = PersonChoiceField(label="代表", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    basis = forms.CharField(
        label="评选依据",
        max_length=200,
        help_text="如：自评95分，小组互评92分，述职满意率97.5%；2026年度县级优秀代表",
    )

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_deputies(self, user, area)


class DutyReportForm(forms.Form):
    person = PersonChoiceField(label="述职代表", queryset=None)
    reported_on = forms.DateField(label="述职日期", widget=DateInput)
    audience = forms.CharField(label="述职对象", max_length=120, help_text="如：东河村选区选民代表")
    place = forms.CharField(label="地点", max_length=120, required=False)
    attendees = forms.IntegerField(label="参加人数", min_value=1, max_value=100000)
    satisfied = forms.IntegerField(label="满意票", min_value=0, max_value=100000)
    basically_satisfied = forms.IntegerField(
        label="基本满意票", min_value=0, max_value=100000, initial=0
    )
    dissatisfied = forms.IntegerField(label="不满意票", min_value=0, max_value=100000, initial=0)
    summary = forms.CharField(
        label="述职要点", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_deputies(self, user, area)

    def clean(self):
        data = super().clean()
        votes = [data.get(name) for name in ("satisfied", "basically_satisfied", "dissatisfied")]
        attendees = data.get("attendees")
        if attendees is not None and None not in votes and sum(votes) > attendees:
            self.add_error("attendees", "满意、基本满意、不满意票数之和不能超过参加人数")
        return data
