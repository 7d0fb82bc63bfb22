"""Forms of the opinions office pages: receptions, entering an opinion on the
person's behalf, and each outcome. They parse and check input only; every
write goes through renda.opinions.services, whose field errors land on the
field of the same name (`renda.core.forms.add_service_error`)."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from renda.core.areas import Area
from renda.core.forms import DateInput, ModelChoicesField
from renda.core.models import Body, BodyKind, Role, Unit
from renda.core.params import as_id
from renda.deputies.models import Person
from renda.opinions.models import Channel, Opinion, ReceptionKind, Urgency
from renda.opinions.selectors import (
    categories_for,
    deputies_for,
    local_regions_for,
    merge_targets,
    receptions_for,
    similar_opinions,
    stations_for,
)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 9
# Pillow's format name -> the extensions a file of that format may carry.
PHOTO_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}
PHONE = re.compile(r"^[0-9][0-9\- ]{5,18}[0-9]$")
ANSWER_METHODS = ["电话", "当面", "短信", "微信", "书面", "上门走访"]


def clean_phone(value: str) -> str:
    value = value.strip()
    if not PHONE.match(value):
        raise ValidationError("请填写正确的电话号码，如 13912345678 或 0871-1234567")
    return value


# --- receptions ---------------------------------------------------------------------


class ReceptionForm(forms.Form):
    station = forms.ModelChoiceField(
        label="联络站", queryset=None, required=False, empty_label="（不在联络站）"
    )
    kind = forms.ChoiceField(label="接待方式", choices=ReceptionKind.choices)
    held_on = forms.DateField(label="接待日期", widget=DateInput)
    region = forms.ModelChoiceField(
        label="地点所属区划",
        queryset=None,
        required=False,
        help_text="选了联络站可不填；入户走访等请选所到村（社区）",
    )
    place = forms.CharField(label="具体地点", max_length=120, required=False)
    deputies = ModelChoicesField(
        label="接待代表", queryset=None, help_text="可多选（手机上点选，电脑上按住 Ctrl 多选）"
    )
    people_received = forms.IntegerField(
        label="接待群众（人次）", min_value=0, max_value=100000, initial=0
    )
    note = forms.CharField(
        label="情况记录", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.person = user.own_person
        stations = stations_for(user).select_related("region")
        self.fields["station"].queryset = stations
        self.fields["region"].queryset = local_regions_for(user)
        chosen = self.data.get("station") or self.initial.get("station")
        # The chosen station's resident deputies may be named on duty as well.
        self.station = _chosen(stations, chosen)
        if user.role == Role.LIAISON and not user.is_superuser:
            # A liaison officer records their own station's receptions: the
            # station is required, and preset when they keep only one.
            self.fields["station"].required = True
            self.fields["station"].empty_label = None
            if not chosen:
                own = list(stations[:2])
                self.station = own[0] if len(own) == 1 else None
        if self.station is not None and not self.is_bound:
            self.initial["station"] = self.station.pk
        self.fields["deputies"].queryset = deputies_for(user, self.station)
        # A province's staff pick a county (or a station, which names one)
        # before its stations, places and deputies are listed.
        self.area = area or Area()
        if self.station is not None:
            self.area = self.area.around(self.station.region)
        self.offered = {
            name: self.area.offer(self.fields[name]) for name in ("station", "region", "deputies")
        }
        if user.role == Role.DEPUTY and not user.is_superuser:
            # A deputy records their own household visits; other receptions
            # are recorded by the station's liaison officer or the office.
            self.fields["kind"].choices = [(ReceptionKind.HOUSEHOLD, ReceptionKind.HOUSEHOLD.label)]
            self.fields["deputies"].required = False
            self.fields["deputies"].help_text = "您本人自动记为接待代表，可再选同行代表"

    def clean(self):
        data = super().clean()
        station = data.get("station")
        deputies = list(data.get("deputies") or [])
        if self.person is not None and self.person not in deputies:
            deputies.append(self.person)
        data["deputies"] = deputies
        if self.user.role == Role.DEPUTY and not self.user.is_superuser and self.person is None:
            raise ValidationError("您的账号尚未关联代表信息，请联系人大工作人员")
        if not deputies and "deputies" not in self.errors:
            self.add_error("deputies", "请选择接待代表")
        region = data.get("region") or (station.region if station else None)
        if region is None:
            region = self.user.region
        if region is None:
            self.add_error("region", "请选择地点所属区划")
        data["region"] = region
        return data


def _chosen(queryset, value):
    pk = as_id(getattr(value, "pk", value))
    return queryset.filter(pk=pk).first() if pk else None


# --- entering an opinion ---------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Photos taken on the spot: JPG or PNG, at most 5 MB each, checked by
    reading them with Pillow (a renamed file is refused)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(f"照片最多 {MAX_PHOTOS} 张")
        return [check_photo(super(PhotosField, self).clean(item, initial)) for item in files]


def check_photo(upload):
    """The upload if it is a real JPG or PNG of at most 5 MB, else a
    ValidationError naming the file."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(f"“{upload.name}”超过 5 MB，请压缩后再上传")
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(f"“{upload.name}”不是有效的 JPG 或 PNG 图片") from None
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS:
        raise ValidationError(f"“{upload.name}”不是 JPG 或 PNG 图片")
    if not upload.name.lower().endswith(PHOTO_FORMATS[kind]):
        raise ValidationError(f"“{upload.name}”的内容是 {kind} 图片，与文件扩展名不符")
    upload.content_type = "image/jpeg" if kind == "JPEG" else "image/png"
    return upload


class OpinionForm(forms.Form):
    channel = forms.ChoiceField(
        label="收集渠道", choices=[c for c in Channel.choices if c[0] != Channel.WEB]
    )
    reception = forms.ModelChoiceField(
        label="接待活动", queryset=None, required=False, empty_label="（不属于某次接待）"
    )
    station = forms.ModelChoiceField(
        label="联络站", queryset=None, required=False, empty_label="（不经联络站）"
    )
    region = forms.ModelChoiceField(
        label="所涉村（社区）或乡镇",
        queryset=None,
        required=False,
        help_text="不填则按接待活动、联络站或您的工作区划",
    )
    place = forms.CharField(label="具体地点", max_length=60, required=False)
    title = forms.CharField(label="事由", max_length=120, help_text="一句话概括，如“三组路灯损坏”")
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ModelChoiceField(label="类别", queryset=None, required=False)
    urgency = forms.ChoiceField(label="轻重缓急", choices=Urgency.choices, initial=Urgency.NORMAL)
    people_concerned = forms.IntegerField(
        label="涉及人数", min_value=1, max_value=1000000, initial=1
    )
    submitter_name = forms.CharField(label="反映人姓名", max_length=30)
    submitter_phone = forms.CharField(label="反映人电话", max_length=20)
    collected_by = forms.ModelChoiceField(
        label="收集代表", queryset=None, required=False, empty_label="（无）"
    )
    photos = PhotosField(
        label="现场照片", required=False, help_text="JPG 或 PNG，每张不超过 5 MB，最多 9 张"
    )

    def __init__(self, *args, user, area: Area | None = None, reception=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.person = user.own_person
        # Receptions of the last half year: an opinion is entered soon after it is heard.
        since = timezone.localdate() - datetime.timedelta(days=183)
        receptions = receptions_for(user).filter(held_on__gte=since)
        self.fields["reception"].queryset = receptions.select_related("station")
        self.fields["station"].queryset = stations_for(user).select_related("region")
        self.fields["region"].queryset = local_regions_for(user)
        self.fields["category"].queryset = categories_for(user)
        if self.person is not None:
            # The deputy entering it is the one who collected it.
            del self.fields["collected_by"]
        else:
            self.fields["collected_by"].queryset = deputies_for(user)
        # A province's staff pick a county (or come from a reception, which
        # names one) before its receptions, stations, places and deputies are listed.
        self.area = area or Area()
        if reception is not None:
            self.area = self.area.around(reception.region)
        for name in ("reception", "station", "region", "collected_by"):
            if name in self.fields:
                self.area.offer(self.fields[name])
        if user.role == Role.LIAISON and not user.is_superuser:
            self.fields["station"].required = True
            self.fields["station"].empty_label = None

    def clean_submitter_phone(self):
        return clean_phone(self.cleaned_data["submitter_phone"])

    def clean_submitter_name(self):
        return self.cleaned_data["submitter_name"].strip()

    def clean(self):
        data = super().clean()
        reception = data.get("reception")
        station = data.get("station") or (reception.station if reception else None)
        data["station"] = station
        region = (
            data.get("region")
            or (reception.region if reception else None)
            or (station.region if station else None)
            or self.user.region
        )
        if region is None:
            self.add_error("region", "请选择所涉村（社区）或乡镇")
        data["region"] = region
        data["collected_by"] = self.person or data.get("collected_by")
        return data

    def opinion_fields(self) -> dict:
        """The keyword arguments of services.opinion_receive."""
        data = self.cleaned_data
        content = data["content"].strip()
        if data.get("place"):
            # Opinion has no place field of its own; the place heads the text.
            content = f"地点：{data['place'].strip()}\n{content}"
        return {
            "channel": data["channel"],
            "region": data["region"],
            "title": data["title"],
            "content": content,
            "submitter_name": data["submitter_name"],
            "submitter_phone": data["submitter_phone"],
            "station": data["station"],
            "reception": data.get("reception"),
            "collected_by": data["collected_by"],
            "category": data.get("category"),
            "urgency": data["urgency"],
            "people_concerned": data["people_concerned"],
        }


# --- outcomes ----------------------------------------------------------------------------


class ActionForm(forms.Form):
    """An outcome's form, built for the acting user and the opinion."""

    def __init__(self, *args, user, opinion: Opinion, **kwargs):
        self.user = user
        self.opinion = opinion
        super().__init__(*args, **kwargs)


class SortForm(ActionForm):
    category = forms.ModelChoiceField(label="类别", queryset=None)
    urgency = forms.ChoiceField(label="轻重缓急", choices=Urgency.choices)
    title = forms.CharField(label="事由", max_length=120, required=False)

    def __init__(self, *args, user, opinion, **kwargs):
        kwargs.setdefault(
            "initial",
            {"category": opinion.category_id, "urgency": opinion.urgency, "title": opinion.title},
        )
        super().__init__(*args, user=user, opinion=opinion, **kwargs)
        self.fields["category"].queryset = categories_for(user)


class MergeForm(ActionForm):
    into = forms.ModelChoiceField(
        label="归并至", queryset=None, required=False, widget=forms.RadioSelect
    )
    code = forms.CharField(
        label="或输入登记编号、回执码",
        max_length=30,
        required=False,
        help_text="相似意见里没有时，可输入要归并到的意见的登记编号或回执码",
    )

    def __init__(self, *args, user, opinion, **kwargs):
        super().__init__(*args, user=user, opinion=opinion, **kwargs)
        self.targets = merge_targets(user, opinion)
        self.fields["into"].queryset = self.targets
        # Any open opinion of the township validates; the similar ones are offered.
        self.similar = similar_opinions(opinion, self.targets, on=timezone.localdate())
        self.fields["into"].widget.choices = [
            (item.pk, f"{item.number or item.receipt_code} {item.title}（相似度 {score:.0%}）")
            for item, score in self.similar
        ]

    def clean(self):
        data = super().clean()
        if data.get("into") is None and "into" not in self.errors:
            code = (data.get("code") or "").strip()
            if not code:
                self.add_error("into", "请选择要归并到的意见，或输入其登记编号、回执码")
                return data
            found = self.targets.filter(Q(number=code) | Q(receipt_code=code.upper())).first()
            if found is None:
                self.add_error("code", f"没有找到编号或回执码为“{code}”的可归并意见")
            data["into"] = found
        return data


class SolveForm(ActionForm):
    result = forms.CharField(label="解决情况", widget=forms.Textarea(attrs={"rows": 4}))


class HandledForm(ActionForm):
    result = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 5}))


class AssignForm(ActionForm):
    unit = forms.ModelChoiceField(label="承办单位", queryset=None)

    def __init__(self, *args, user, opinion, **kwargs):
        super().__init__(*args, user=user, opinion=opinion, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).active()


class EscalateForm(ActionForm):
    to = forms.CharField(label="上报至", max_length=80, help_text="如：县人大常委会")
    note = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=500
    )

    def __init__(self, *args, user, opinion, **kwargs):
        # A township's opinion goes up to the county; a county's to the city.
        above = "县人大常委会" if len(opinion.region.code) > 6 else "市人大常委会"
        kwargs.setdefault("initial", {"to": above})
        super().__init__(*args, user=user, opinion=opinion, **kwargs)


class ConvertForm(ActionForm):
    congress = forms.ModelChoiceField(label="提交至（人民代表大会）", queryset=None)
    lead = forms.ModelChoiceField(label="领衔代表", queryset=None)
    title = forms.CharField(label="建议题目", max_length=200)
    body = forms.CharField(label="建议内容", widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ModelChoiceField(label="类别", queryset=None, required=False)

    def __init__(self, *args, user, opinion, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "lead": opinion.collected_by_id,
                "title": f"关于{opinion.title}的建议",
                "body": opinion.content,
                "category": opinion.category_id,
            },
        )
        super().__init__(*args, user=user, opinion=opinion, **kwargs)
        congresses = Body.objects.visible_to(user).filter(kind=BodyKind.CONGRESS)
        self.fields["congress"].queryset = congresses.select_related("region")
        # Default: the congress of the opinion's own township (else its county).
        for code in (opinion.region.code[:9], opinion.region.code[:6]):
            found = congresses.filter(region__code=code).values_list("pk", flat=True).first()
            if found and "congress" not in self.initial:
                self.initial["congress"] = found
                break
        lead = Q(pk__in=Person.objects.visible_to(user).serving().values("pk"))
        if opinion.collected_by_id:
            lead |= Q(pk=opinion.collected_by_id)
        self.fields["lead"].queryset = Person.objects.filter(lead)
        self.fields["category"].queryset = categories_for(user)


class DeclineForm(ActionForm):
    reason = forms.CharField(label="不予受理理由", widget=forms.Textarea(attrs={"rows": 4}))


class ReturnForm(ActionForm):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(ActionForm):
    answer = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 5}))
    method = forms.ChoiceField(label="答复方式", choices=[(m, m) for m in ANSWER_METHODS])

    def __init__(self, *args, user, opinion, **kwargs):
        kwargs.setdefault(
            "initial",
            {"answer": opinion.handling_result or opinion.decline_reason, "method": "电话"},
        )
        super().__init__(*args, user=user, opinion=opinion, **kwargs)
