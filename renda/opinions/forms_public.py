"""What a citizen fills in and what they are shown back: the public opinion
form (the page and the API validate with it), the tracking form, and the
progress a tracking request may see — status, dates, the handling result
and the answer; never a name or a phone."""

import re
import secrets
import uuid
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from PIL import Image

from renda.core.models import Region, RegionLevel
from renda.core.workflow import timeline
from renda.deputies.models import Station
from renda.opinions import abuse, captcha, services
from renda.opinions.models import Channel, Opinion, OpinionAttachment, OpinionStatus
from renda.suggestions.models import Status as SuggestionStatus

MAX_CONTENT_CHARS = 2000
TOWNSHIP_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.STREET)
VILLAGE_LEVELS = (RegionLevel.VILLAGE, RegionLevel.COMMUNITY)
# Pillow's format name -> (file extension, content type) of the photos we keep.
PHOTO_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
PHONE = re.compile(r"^1\d{10}$")


# --- photos -------------------------------------------------------------------


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three JPG or PNG photos, each checked by its content."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"multiple": True, "accept": "image/jpeg,image/png"})

    def clean(self, data, initial=None):
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if len(uploads) > abuse.MAX_PHOTOS:
            raise forms.ValidationError(f"照片最多 {abuse.MAX_PHOTOS} 张")
        return [check_photo(upload) for upload in uploads]


def check_photo(upload):
    """A JPG or PNG of at most 5 MB, judged by its bytes (Pillow), never by
    its name or the browser's content type; sets `upload.photo_format`."""
    shown = (upload.name or "照片")[-40:]
    if upload.size > abuse.MAX_PHOTO_BYTES:
        raise forms.ValidationError(f"照片“{shown}”超过 5 MB，请压缩后重新选择")
    try:
        upload.seek(0)
        with Image.open(upload, formats=list(PHOTO_FORMATS)) as image:
            kind = image.format
            image.verify()
    # Pillow raises many kinds of error on a malformed or forged file.
    except Exception:
        raise forms.ValidationError(f"“{shown}”不是有效的 JPG 或 PNG 照片，请重新选择") from None
    finally:
        upload.seek(0)
    upload.photo_format = kind
    return upload


# --- the opinion form -----------------------------------------------------------


class VillageSelect(forms.Select):
    """Each village option names its township (data-township), so the page
    can offer only the chosen township's villages."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-township"] = str(instance.parent_id)
        return option


def counties():
    """The counties (districts) that have townships a citizen may choose.
    A county's own server has one; a province's has a hundred, and the form
    asks for the county first so it never lists a province's 20,000 villages."""
    townships = Region.objects.filter(parent=OuterRef("pk"), level__in=TOWNSHIP_LEVELS)
    return (
        Region.objects.filter(level=RegionLevel.COUNTY)
        .filter(Exists(townships))
        .select_related("parent")
        .order_by("code")
    )


def places(county: Region | None = None):
    """(townships, villages) a citizen may choose: every township or street
    (of `county` when given) and the villages and communities under them."""
    townships = Region.objects.filter(level__in=TOWNSHIP_LEVELS)
    # A village's label names its township (label_from_instance).
    villages = Region.objects.filter(
        level__in=VILLAGE_LEVELS, parent__level__in=TOWNSHIP_LEVELS
    ).select_related("parent")
    if county is not None:
        townships = townships.filter(parent=county)
        villages = villages.filter(parent__parent=county)
    return townships.order_by("code"), villages.order_by("code")


def county_chosen(key: str | None) -> tuple[Region | None, list[Region]]:
    """(the county whose places the form offers, the counties to choose
    from): the only county, or the one `key` names; the list is empty when
    there is nothing to choose."""
    options = list(counties())
    if len(options) <= 1:
        return (options[0] if options else None), []
    return next((c for c in options if str(c.pk) == key), None), options


def _required(message: str) -> dict:
    return {"required": message}


class OpinionPublicForm(forms.Form):
    township = forms.ModelChoiceField(
        label="所在乡镇（街道）",
        queryset=Region.objects.none(),
        empty_label="请选择乡镇（街道）",
        error_messages={
            **_required("请选择所在乡镇（街道）"),
            "invalid_choice": "请从列表中选择乡镇（街道）",
        },
    )
    village = forms.ModelChoiceField(
        label="村（社区）",
        queryset=Region.objects.none(),
        required=False,
        empty_label="不选择（只到乡镇）",
        widget=VillageSelect,
        error_messages={"invalid_choice": "请从列表中选择村（社区）"},
    )
    title = forms.CharField(
        label="事由",
        max_length=120,
        help_text="一句话说明反映什么问题，如“东河村三组路灯损坏”",
        error_messages={
            **_required("请填写事由"),
            "max_length": "事由不超过 %(limit_value)d 字（现有 %(show_value)d 字）",
        },
    )
    content = forms.CharField(
        label="具体内容",
        max_length=MAX_CONTENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"时间、地点、情况和您的建议，不超过 {MAX_CONTENT_CHARS} 字",
        error_messages={
            **_required("请填写具体内容"),
            "max_length": "具体内容不超过 %(limit_value)d 字（现有 %(show_value)d 字）",
        },
    )
    people_concerned = forms.IntegerField(
        label="涉及人数（约）",
        min_value=1,
        max_value=1_000_000,
        initial=1,
        error_messages={
            **_required("请填写涉及人数"),
            "invalid": "涉及人数请填写整数",
            "min_value": "涉及人数至少为 1",
            "max_value": "涉及人数不超过 100 万",
        },
    )
    submitter_name = forms.CharField(
        label="您的姓名",
        max_length=30,
        help_text="仅工作人员可见，不会公开",
        error_messages={
            **_required("请填写您的姓名"),
            "max_length": "姓名不超过 %(limit_value)d 字",
        },
    )
    submitter_phone = forms.CharField(
        label="手机号码",
        max_length=20,
        help_text="用于答复您；查询进度时需要后四位。仅工作人员可见",
        error_messages={**_required("请填写手机号码"), "max_length": "请填写 11 位手机号码"},
    )
    photos = PhotosField(
        label="照片",
        help_text="可选，最多 3 张，JPG 或 PNG 格式，每张不超过 5 MB",
    )
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False)
    captcha_answer = forms.CharField(
        label="验证问题",
        max_length=10,
        error_messages=_required("请回答验证问题"),
    )

    def __init__(self, *args, county: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        self.fields["township"].queryset, self.fields["village"].queryset = places(county)
        # Names alone are ambiguous across townships (and counties), so the
        # list a script-less browser shows says whose village it is.
        self.fields["village"].label_from_instance = lambda r: f"{r.parent.name} {r.name}"
        for name, attrs in {
            "submitter_name": {"autocomplete": "name"},
            "submitter_phone": {"autocomplete": "tel", "inputmode": "numeric"},
            "captcha_answer": {"inputmode": "numeric", "autocomplete": "off"},
            "people_concerned": {"inputmode": "numeric"},
        }.items():
            self.fields[name].widget.attrs.update(attrs)
        self.question = ""

    def new_captcha(self) -> str:
        """Ask a fresh question (a token is good for one submission) and
        return it; a re-shown form keeps everything else the person typed."""
        challenge = captcha.new_challenge()
        if self.is_bound:
            self.data = self.data.copy()
            self.data["captcha_token"] = challenge.token
            self.data["captcha_answer"] = ""
        else:
            self.initial["captcha_token"] = challenge.token
        self.question = challenge.question
        return challenge.question

    def clean_submitter_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data["submitter_phone"])
        if not PHONE.match(phone):
            raise forms.ValidationError("请填写 11 位手机号码，以 1 开头")
        return phone

    def clean(self):
        data = super().clean()
        township, village = data.get("township"), data.get("village")
        if township and village and village.parent_id != township.pk:
            self.add_error("village", "所选村（社区）不属于所选乡镇（街道）")
        if "captcha_answer" in data:
            problem = captcha.problem(data.get("captcha_token", ""), data["captcha_answer"])
            if problem:
                self.add_error("captcha_answer", problem)
            elif not self.errors and not captcha.consume(data["captcha_token"]):
                self.add_error("captcha_answer", "该验证码已使用，请回答新的验证问题")
        return data

    @transaction.atomic
    def save(self, *, client_ip: str | None, actor=None) -> tuple[Opinion, bool]:
        """Register the opinion from the web (the service de-duplicates a
        double submission) with its photos; returns (opinion, created)."""
        data = self.cleaned_data
        place = data.get("village") or data["township"]
        opinion, created = services.opinion_receive(
            channel=Channel.WEB,
            region=place,
            station=station_serving(place),
            title=data["title"],
            content=data["content"],
            people_concerned=data["people_concerned"],
            submitter_name=data["submitter_name"],
            submitter_phone=data["submitter_phone"],
            actor=actor,
            client_ip=client_ip,
        )
        if created:
            for upload in data["photos"]:
                extension, content_type = PHOTO_FORMATS[upload.photo_format]
                original = upload.name or f"照片.{extension}"
                # Stored under a name of our own; the person's file name is kept as text.
                upload.name = f"{uuid.uuid4().hex}.{extension}"
                OpinionAttachment.objects.create(
                    opinion=opinion, file=upload, name=original[:200], content_type=content_type
                )
        return opinion, created


def station_serving(place):
    """The station of the place the person chose, when exactly one active
    station is there: the opinion goes to its register, so its liaison
    officer sorts and answers it as one collected at the station. Else
    none, and the office sorts it."""
    stations = list(Station.objects.filter(region=place, active=True).order_by()[:2])
    return stations[0] if len(stations) == 1 else None


# --- tracking -----------------------------------------------------------------

TRACK_REFUSED = "回执码或手机号后四位不正确，请核对后重试"


class TrackForm(forms.Form):
    receipt_code = forms.CharField(
        label="回执码",
        max_length=20,
        error_messages={**_required("请填写回执码"), "max_length": "回执码为 8 位字母和数字"},
    )
    phone_last4 = forms.CharField(
        label="手机号后四位",
        max_length=4,
        error_messages={**_required("请填写手机号码的后四位"), "max_length": "请填写 4 位数字"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt_code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )
        self.fields["phone_last4"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}
        )
        self.opinion = None

    def clean_receipt_code(self):
        return re.sub(r"[\s-]", "", self.cleaned_data["receipt_code"]).upper()

    def clean_phone_last4(self):
        digits = self.cleaned_data["phone_last4"].strip()
        if not re.fullmatch(r"\d{4}", digits):
            raise forms.ValidationError("请填写手机号码的后四位数字")
        return digits

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        opinion = (
            Opinion.objects.select_related(
                "unit", "merged_into__unit", "suggestion", "merged_into__suggestion"
            )
            .filter(receipt_code=data["receipt_code"])
            .first()
        )
        # One answer for a wrong code and for wrong digits: nothing tells
        # a guesser which half was right.
        if opinion is None or not secrets.compare_digest(
            opinion.submitter_phone[-4:], data["phone_last4"]
        ):
            raise forms.ValidationError(TRACK_REFUSED)
        self.opinion = opinion
        return data


# --- what the public sees -----------------------------------------------------------

PUBLIC_STATUS = {
    OpinionStatus.RECEIVED: "已收到，等待工作人员整理",
    OpinionStatus.SORTED: "已登记，正在研究办理方式",
    OpinionStatus.MERGED: "已与反映同一问题的意见合并办理",
    OpinionStatus.SOLVED: "已当场解决",
    OpinionStatus.ASSIGNED: "已交有关单位办理",
    OpinionStatus.ESCALATED: "已报送上级人大办理",
    OpinionStatus.CONVERTED: "已转为人大代表建议办理",
    OpinionStatus.DECLINED: "不予受理",
    OpinionStatus.HANDLED: "已办理完毕，等待答复您",
    OpinionStatus.ANSWERED: "已答复您",
}
# Timeline events the public sees, in plain words; others (and comments,
# which name people) are not shown.
PUBLIC_EVENTS = {
    "received": "收到意见",
    "sorted": "整理登记",
    "merged": "与同类意见合并",
    "solved": "当场解决",
    "assigned": "交有关单位办理",
    "returned": "重新研究交办",
    "escalated": "报送上级人大",
    "converted": "转为人大代表建议",
    "declined": "决定不予受理",
    "handled": "办理完毕",
    "answered": "答复您",
}
PUBLIC_SUGGESTION_STATUS = {
    SuggestionStatus.SUBMITTED: "代表建议已提出，等待审查",
    SuggestionStatus.ACCEPTED: "代表建议已立案，等待交办",
    SuggestionStatus.ASSIGNED: "已交承办单位办理",
    SuggestionStatus.HANDLING: "承办单位正在办理",
    SuggestionStatus.REPLIED: "承办单位已答复",
    SuggestionStatus.REHANDLING: "承办单位正在重新办理",
    SuggestionStatus.COMMITTED: "已答复，承诺事项正在落实",
    SuggestionStatus.CLOSED: "已办结",
    SuggestionStatus.NOT_ACCEPTED: "代表建议未予立案",
    SuggestionStatus.MERGED: "已与其他代表建议合并办理",
    SuggestionStatus.WITHDRAWN: "代表建议已撤回",
}


@dataclass
class Step:
    label: str
    on: object


@dataclass
class SuggestionProgress:
    number: str
    status: str
    status_label: str
    reply_unit: str = ""
    reply_text: str = ""
    replied_on: object = None


@dataclass
class Progress:
    receipt_code: str
    title: str
    status: str
    status_label: str
    received_on: object
    steps: list = field(default_factory=list)
    unit: str = ""
    due_on: object = None
    decline_reason: str = ""
    handling_result: str = ""
    answer: str = ""
    answer_method: str = ""
    answered_on: object = None
    suggestion: SuggestionProgress | None = None
    merged_into: "Progress | None" = None


def _public_steps(opinion: Opinion) -> list[Step]:
    steps = []
    for change in timeline(opinion):
        label = PUBLIC_EVENTS.get(change.event)
        # A note on a record that another opinion was merged into it is
        # about that other person, not this one.
        noted_only = change.from_state == change.to_state and change.event != "received"
        if label and not noted_only:
            steps.append(Step(label=label, on=timezone.localtime(change.at).date()))
    return steps


def _suggestion_progress(suggestion) -> SuggestionProgress:
    # A merged suggestion is answered on the one it was merged into.
    if suggestion.status == SuggestionStatus.MERGED and suggestion.merged_into_id:
        suggestion = suggestion.merged_into
    reply = suggestion.replies.select_related("unit").order_by("-round").first()
    progress = SuggestionProgress(
        number=suggestion.number,
        status=suggestion.status,
        status_label=PUBLIC_SUGGESTION_STATUS.get(
            suggestion.status, suggestion.get_status_display()
        ),
    )
    if reply is not None:
        progress.reply_unit = reply.unit.name
        progress.reply_text = reply.public_text or reply.text
        progress.replied_on = reply.replied_on
    return progress


def public_progress(opinion: Opinion, *, follow_merge: bool = True) -> Progress:
    """How the opinion stands, for the person who raised it: plain-word
    status, the date of each step, the unit handling it, the result and the
    answer. Never a name or a phone; for a merged opinion, the progress of
    the one it joined (without that person's own answer)."""
    progress = Progress(
        receipt_code=opinion.receipt_code,
        title=opinion.title,
        status=opinion.status,
        status_label=PUBLIC_STATUS.get(opinion.status, opinion.get_status_display()),
        received_on=timezone.localtime(opinion.received_at).date(),
        steps=_public_steps(opinion),
        unit=opinion.unit.name if opinion.unit_id else "",
        due_on=opinion.due_on if opinion.status == OpinionStatus.ASSIGNED else None,
        decline_reason=opinion.decline_reason if opinion.status == OpinionStatus.DECLINED else "",
        handling_result=opinion.handling_result,
    )
    if opinion.status == OpinionStatus.ANSWERED:
        progress.answer = opinion.answer
        progress.answer_method = opinion.answer_method
        progress.answered_on = (
            opinion.answered_at and timezone.localtime(opinion.answered_at).date()
        )
    if opinion.suggestion_id:
        progress.suggestion = _suggestion_progress(opinion.suggestion)
    if follow_merge and opinion.merged_into_id:
        joined = public_progress(opinion.merged_into, follow_merge=False)
        # The other person's code and the answer written to them stay theirs.
        joined.receipt_code = ""
        joined.answer, joined.answer_method, joined.answered_on = "", "", None
        progress.merged_into = joined
    return progress
