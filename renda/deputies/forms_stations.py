"""Forms for stations, reception schedules, standards checklists and assessments.

Every choice list is read through `visible_to(user)` (users, which have no
such method, are limited to liaison officers within the user's region), and
every message names the field in Chinese."""

import datetime
import re

from django import forms
from django.utils import timezone

from renda.core.areas import Area
from renda.core.forms import DateInput, ModelChoicesField
from renda.core.models import Region, RegionLevel, Role, User
from renda.deputies.models import (
    Checklist,
    ChecklistItem,
    Person,
    ReceptionSchedule,
    ScheduleKind,
    Station,
)
from renda.deputies.schedule import (
    DIGIT_NAMES,
    WEEKDAY_NAMES,
    digits_label,
    schedule_errors,
)

STATION_LEVELS = [
    RegionLevel.COUNTY,
    RegionLevel.TOWNSHIP,
    RegionLevel.STREET,
    RegionLevel.VILLAGE,
    RegionLevel.COMMUNITY,
]
CHECKLIST_LEVELS = [
    RegionLevel.PROVINCE,
    RegionLevel.CITY,
    RegionLevel.COUNTY,
    RegionLevel.TOWNSHIP,
    RegionLevel.STREET,
]
# What a liaison officer may change on their own station: the facts of the
# place, not where it is, what it is called or who runs it.
LIAISON_FIELDS = ["address", "phone", "opened_on", "equipment", "rules", "resident_deputies"]


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        if region.parent_id and region.level in (RegionLevel.VILLAGE, RegionLevel.COMMUNITY):
            return f"{region.parent.name} · {region.name}"
        return region.name


class PersonChoiceField(ModelChoicesField):
    def label_from_instance(self, person):
        return f"{person.name}（{person.region.name}）"


class UserChoiceField(ModelChoicesField):
    def label_from_instance(self, user):
        where = f"（{user.region.name}）" if user.region_id else ""
        return f"{user.display_name}{where}"


def _regions_for(user, levels):
    """Regions the user manages: their own and those below it (all for a superuser)."""
    regions = Region.objects.visible_to(user).filter(level__in=levels).select_related("parent")
    if not user.is_superuser:
        regions = regions.filter(code__startswith=user.region.code)
    return regions


def liaison_officers_for(user):
    """Active liaison officers' accounts within the user's region."""
    users = User.objects.filter(role=Role.LIAISON, is_active=True).select_related("region")
    if not user.is_superuser:
        users = users.filter(region__code__startswith=user.region.code)
    return users.order_by("region__code", "full_name", "username")


class StationForm(forms.ModelForm):
    region = RegionChoiceField(label="所在区划", queryset=Region.objects.none())
    resident_deputies = PersonChoiceField(
        label="进站代表",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="可多选（电脑上按住 Ctrl 键点选）",
    )
    liaison_officers = UserChoiceField(
        label="联络员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="角色为“联络站联络员”的账号；被指定的联络员可以维护本站信息和接待安排",
    )

    class Meta:
        model = Station
        fields = [
            "kind",
            "name",
            "region",
            "address",
            "phone",
            "opened_on",
            "equipment",
            "rules",
            "resident_deputies",
            "liaison_officers",
            "active",
        ]
        widgets = {
            "opened_on": DateInput(),
            "equipment": forms.Textarea(attrs={"rows": 3}),
            "rules": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"required": "请填写联络站名称"},
            "kind": {"required": "请选择联络站类别"},
        }

    def __init__(self, *args, user, liaison_only=False, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        people = Person.objects.visible_to(user).select_related("region")
        officers = liaison_officers_for(user)
        self.fields["resident_deputies"].queryset = people
        self.fields["liaison_officers"].queryset = officers
        self.fields["region"].queryset = _regions_for(user, STATION_LEVELS)
        self.fields["region"].error_messages["required"] = "请选择所在区划"
        # People this user cannot see stay on the station: an edit by a
        # township must not drop a deputy added by the county.
        self.kept_deputies, self.kept_officers = [], []
        if self.instance.pk:
            self.kept_deputies = list(self.instance.resident_deputies.exclude(pk__in=people))
            self.kept_officers = list(self.instance.liaison_officers.exclude(pk__in=officers))
        # A province's staff pick a county (an edit opens on its station's)
        # before its places, deputies and liaison officers are listed.
        self.area = area or Area()
        if self.instance.region_id:
            self.area = self.area.around(self.instance.region)
        self.area.offer(self.fields["region"])
        self.area.offer(self.fields["resident_deputies"])
        self.area.offer(self.fields["liaison_officers"], "region")
        if liaison_only:
            for name in list(self.fields):
                if name not in LIAISON_FIELDS:
                    del self.fields[name]

    def clean(self):
        data = super().clean()
        region, name = data.get("region") or self.instance.region_id, data.get("name")
        if region and name:
            same = Station.objects.filter(region=region, name=name).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("name", "该区划内已有同名的联络站")
        return data

    def deputies(self):
        """Resident deputies to save, or None when this form does not set them."""
        if "resident_deputies" not in self.fields:
            return None
        return [*self.cleaned_data["resident_deputies"], *self.kept_deputies]

    def officers(self):
        if "liaison_officers" not in self.fields:
            return None
        return [*self.cleaned_data["liaison_officers"], *self.kept_officers]


# --- reception schedules ------------------------------------------------------------

_DIGIT_VALUES = {name: value for value, name in enumerate(DIGIT_NAMES)} | {"〇": 0, "零": 0}
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def parse_day_digits(text: str) -> list[int]:
    """ "逢三六九", "三、六、九", "3 6 9" or "369" → [3, 6, 9]; 十 (or 10) is 0,
    the 10th, 20th and 30th. Raises ValueError naming what it could not read."""
    digits = set()
    for piece in _SEPARATORS.split(text.replace("逢", " ").strip()):
        if not piece:
            continue
        if piece == "10":
            digits.add(0)
            continue
        for char in piece:
            if char.isdigit() and char.isascii():
                digits.add(int(char))
            elif char in _DIGIT_VALUES:
                digits.add(_DIGIT_VALUES[char])
            else:
                raise ValueError(char)
    return sorted(digits)


_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


def parse_dates(text: str) -> list[str]:
    """Dates one per line (or separated by commas) → sorted ISO strings.
    Raises ValueError with the piece it could not read."""
    days = set()
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        for fmt in _DATE_FORMATS:
            try:
                days.add(datetime.datetime.strptime(token, fmt).date())  # noqa: DTZ007
                break
            except ValueError:
                continue
        else:
            raise ValueError(token)
    return [day.isoformat() for day in sorted(days)]


class ScheduleForm(forms.ModelForm):
    weekday = forms.TypedChoiceField(
        label="星期",
        choices=[("", "——")] + [(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="每周固定接待日：选择星期几。每月首个周末：可选星期六或星期日，不选表示两天都接待。"
        "每月首个周末指当月第一个星期六及其后的星期日。",
    )
    day_digits = forms.CharField(
        label="逢几",
        required=False,
        max_length=40,
        help_text="按公历日期尾数，如“三六九”表示每月3、6、9、13、16、19、23、26、29日；“十”表示10、20、30日。"
        "按农历赶集的，请改用“指定日期”。",
    )
    dates = forms.CharField(
        label="日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="指定日期方式填写，每行一个，如 2026-12-05",
    )

    class Meta:
        model = ReceptionSchedule
        fields = [
            "kind",
            "weekday",
            "day_digits",
            "dates",
            "starts_at",
            "ends_at",
            "skip_holidays",
            "note",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        labels = {"skip_holidays": "遇法定节假日暂停接待"}
        help_texts = {
            "skip_holidays": "按国务院公布的放假安排；普通周末不算节假日，调休上班日照常接待"
        }
        error_messages = {
            "kind": {"required": "请选择接待方式"},
            "starts_at": {"required": "请填写开始时间", "invalid": "开始时间格式不对，如 09:00"},
            "ends_at": {"required": "请填写结束时间", "invalid": "结束时间格式不对，如 11:30"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ScheduleKind.choices
        if not self.instance.pk:
            self.initial.setdefault("kind", ScheduleKind.WEEKLY)
        else:
            self.initial["day_digits"] = digits_label(self.instance.day_digits or [])
            self.initial["dates"] = "\n".join(self.instance.dates or [])

    def clean_day_digits(self):
        try:
            return parse_day_digits(self.cleaned_data["day_digits"])
        except ValueError as error:
            raise forms.ValidationError(f"无法识别“{error}”，请填写如“三六九”或“3 6 9”") from None

    def clean_dates(self):
        try:
            return parse_dates(self.cleaned_data["dates"])
        except ValueError as error:
            raise forms.ValidationError(
                f"无法识别日期“{error}”，请按 2026-12-05 的格式填写"
            ) from None

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind != ScheduleKind.WEEKLY and kind != ScheduleKind.FIRST_WEEKEND:
            data["weekday"] = None
        if kind != ScheduleKind.MARKET_DIGITS:
            data["day_digits"] = []
        if kind != ScheduleKind.DATES:
            data["dates"] = []
        if kind and not self.errors:
            errors = schedule_errors(
                kind=kind,
                weekday=data.get("weekday"),
                day_digits=data.get("day_digits") or [],
                dates=data.get("dates") or [],
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data


# --- standards checklists ------------------------------------------------------------

# Leading numbering a pasted list may carry: "1." "2、" "一、" "（三）". A bare
# numeral is not numbering: "十有四化" keeps its 十.
_NUMBERING = re.compile(
    r"^(?:\d+(?:[.．、)）]\s*|\s+)|[一二三四五六七八九十]+[、.．]\s*|[（(][一二三四五六七八九十\d]+[）)]\s*)"
)
TITLE_MAX = ChecklistItem._meta.get_field("title").max_length
DESCRIPTION_MAX = ChecklistItem._meta.get_field("description").max_length


def parse_items(text: str) -> list[tuple[str, str]]:
    """One item a line: "有场所：有固定的活动场所" → ("有场所", "有固定的活动场所").
    Leading numbering ("1." "一、" "（一）") is dropped. Raises ValueError with
    messages naming the line."""
    items, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, _, description = line.replace(":", "：").partition("：")
        title, description = _NUMBERING.sub("", title).strip(), description.strip()
        if not title:
            problems.append(f"第 {number} 行缺少标准项名称")
        elif len(title) > TITLE_MAX:
            problems.append(f"第 {number} 行的标准项名称超过 {TITLE_MAX} 个字")
        elif len(description) > DESCRIPTION_MAX:
            problems.append(f"第 {number} 行的要求超过 {DESCRIPTION_MAX} 个字")
        else:
            items.append((title, description))
    if problems:
        raise ValueError(problems)
    return items


class ChecklistForm(forms.ModelForm):
    region = forms.ModelChoiceField(
        label="制定区划", queryset=Region.objects.none(), required=False
    )
    items = forms.CharField(
        label="标准项",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每行一项，可用冒号写明要求，如“有场所：有固定的活动场所”",
        error_messages={"required": "请填写标准项，每行一项"},
    )

    class Meta:
        model = Checklist
        fields = ["name", "region", "source"]
        error_messages = {"name": {"required": "请填写标准名称，如“七有”"}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        region.queryset = _regions_for(user, CHECKLIST_LEVELS)
        if user.is_superuser:
            region.help_text = "留空表示通用标准（各地均可使用）"
        else:
            region.required = True
            region.error_messages["required"] = "请选择制定区划"
        if self.instance.pk:
            self.initial["items"] = "\n".join(
                f"{item.title}：{item.description}" if item.description else item.title
                for item in self.instance.items.all()
            )

    def clean_items(self):
        try:
            items = parse_items(self.cleaned_data["items"])
        except ValueError as error:
            raise forms.ValidationError(list(error.args[0])) from None
        if not items:
            raise forms.ValidationError("请填写标准项，每行一项")
        titles = [title for title, _ in items]
        repeated = sorted({title for title in titles if titles.count(title) > 1})
        if repeated:
            raise forms.ValidationError(f"标准项名称重复：{'、'.join(repeated)}")
        return items


# --- assessments ------------------------------------------------------------------

MET_CHOICES = [("yes", "达标"), ("no", "未达标")]


class AssessmentForm(forms.Form):
    """One row per checklist item: met or not, and a note."""

    assessed_on = forms.DateField(
        label="评估日期",
        widget=DateInput,
        error_messages={"required": "请填写评估日期", "invalid": "评估日期格式不对，如 2026-06-30"},
    )
    note = forms.CharField(
        label="评估意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["assessed_on"].initial = timezone.localdate()
        for item in self.items:
            self.fields[f"met_{item.pk}"] = forms.ChoiceField(
                label=item.title,
                choices=MET_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": f"请选择“{item.title}”是否达标"},
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=f"{item.title}说明",
                required=False,
                max_length=200,
            )

    def rows(self):
        return [(item, self[f"met_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("评估日期不能晚于今天")
        return day

    def results(self) -> dict:
        data = self.cleaned_data
        return {
            item: (data[f"met_{item.pk}"] == "yes", data[f"note_{item.pk}"].strip())
            for item in self.items
        }


class ChecklistChoiceForm(forms.Form):
    checklist = forms.ModelChoiceField(
        label="建设标准",
        queryset=Checklist.objects.none(),
        error_messages={"required": "请选择建设标准", "invalid_choice": "请选择列表中的建设标准"},
    )

    def __init__(self, *args, checklists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklists
