"""Forms of a deputy's own entries (履职纪实), their checking by the office,
and spot checks.

They parse and check input only; every write goes through
renda.duties.services, whose field errors land on the field of the same
name (`renda.core.forms.add_service_error`)."""

import io

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from renda.core import clock
from renda.core.areas import Area
from renda.core.forms import DateInput
from renda.core.models import Region, RegionLevel
from renda.deputies.models import Person
from renda.duties.forms_points import PersonChoiceField, offer_deputies
from renda.duties.models import OWN_ENTRY_KINDS, DutyRecord, SpotCheckOutcome
from renda.opinions.forms_office import PHOTO_FORMATS

__all__ = [
    "CheckForm",
    "ConcludeForm",
    "EntryForm",
    "ReturnForm",
    "SpotCheckForm",
    "entry_photo",
]

# Phones take large photos; a checked one is stored at most this wide or high.
MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTO_SIDE = 1920


def entry_photo(upload):
    """The photo of an own entry: a real JPG or PNG (read with Pillow, so a
    renamed file is refused), of at most 15 MB, turned upright and stored at
    most 1920 pixels wide as a JPG without its EXIF data (a phone's photo
    carries where it was taken)."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(f"“{upload.name}”超过 15 MB，请换一张或压缩后再上传")
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(f"“{upload.name}”不是有效的 JPG 或 PNG 图片") from None
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS:
        raise ValidationError(f"“{upload.name}”不是 JPG 或 PNG 图片")
    if not upload.name.lower().endswith(PHOTO_FORMATS[kind]):
        raise ValidationError(f"“{upload.name}”的内容是 {kind} 图片，与文件扩展名不符")
    picture.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    stem = upload.name.rsplit(".", 1)[0][:80] or "photo"
    return SimpleUploadedFile(f"{stem}.jpg", buffer.getvalue(), content_type="image/jpeg")


class EntryForm(forms.Form):
    person = PersonChoiceField(
        label="代表",
        queryset=Person.objects.none(),
        help_text="从纸质材料补记时，选择该代表",
        error_messages={"invalid_choice": "所选代表不在您的管理范围内"},
    )
    kind = forms.ChoiceField(
        label="履职类型", choices=[(k.value, k.label) for k in OWN_ENTRY_KINDS]
    )
    occurred_on = forms.DateField(label="日期", widget=DateInput)
    title = forms.CharField(
        label="事项", max_length=160, help_text="一句话说清做了什么，如“走访五保户赵大爷”"
    )
    place = forms.CharField(label="地点", max_length=120, required=False)
    note = forms.CharField(
        label="情况说明",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="情况说明和照片至少填一项，作为核实的依据",
    )
    photo = forms.FileField(
        label="照片",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text="手机上点这里可直接拍照；JPG 或 PNG，一张",
    )

    def __init__(
        self, *args, user, record: DutyRecord | None = None, area: Area | None = None, **kwargs
    ):
        self.user = user
        self.record = record
        self.area = Area()  # no county select: a deputy records their own
        if record is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": record.kind,
                    "occurred_on": record.occurred_on,
                    "title": record.title,
                    "place": record.place,
                    "note": record.note,
                },
            )
        else:
            kwargs.setdefault("initial", {})
            kwargs["initial"].setdefault("occurred_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].widget.attrs["max"] = clock.today().isoformat()
        if record is not None or not user.is_office_staff:
            # A deputy records their own; a returned entry stays its deputy's.
            del self.fields["person"]
        else:
            offer_deputies(self, user, area)
        if record is not None and record.photo:
            self.fields["photo"].help_text = "已有一张照片；重新拍照或选择将替换它"

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return entry_photo(upload) if upload else None

    def entry_fields(self) -> dict:
        """The keyword arguments of services.entry_submit/entry_resubmit."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "occurred_on": data["occurred_on"],
            "title": data["title"],
            "place": data["place"],
            "note": data["note"],
            "photo": data["photo"],
        }


class CheckForm(forms.Form):
    comment = forms.CharField(label="核实意见", max_length=200, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=200,
        error_messages={"required": "请填写退回理由，代表将看到它并据此修改"},
    )


class SpotCheckForm(forms.Form):
    region = forms.ModelChoiceField(label="抽查范围", queryset=Region.objects.none())
    period_from = forms.DateField(label="起始日期", widget=DateInput)
    period_to = forms.DateField(label="截止日期", widget=DateInput)
    share_percent = forms.IntegerField(
        label="抽查比例（%）",
        min_value=1,
        max_value=100,
        initial=10,
        help_text="从该期间代表自行录入的履职纪实中随机抽取，至少抽 1 条",
        error_messages={
            "min_value": "抽查比例应在 1 到 100 之间",
            "max_value": "抽查比例应在 1 到 100 之间",
        },
    )

    def __init__(self, *args, user, **kwargs):
        today = clock.today()
        kwargs.setdefault(
            "initial",
            {
                "region": user.region_id,
                "period_from": today.replace(month=1, day=1),
                "period_to": today,
            },
        )
        super().__init__(*args, **kwargs)
        levels = [RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET]
        self.fields["region"].queryset = (
            Region.objects.visible_to(user).filter(level__in=levels).order_by("code")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "截止日期不能早于起始日期")
        return data


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="核查结果",
        choices=[
            (SpotCheckOutcome.CONFIRMED.value, SpotCheckOutcome.CONFIRMED.label),
            (SpotCheckOutcome.NOT_CONFIRMED.value, SpotCheckOutcome.NOT_CONFIRMED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择核查结果"},
    )
    comment = forms.CharField(label="核查说明", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == SpotCheckOutcome.NOT_CONFIRMED
            and not data.get("comment", "").strip()
        ):
            self.add_error("comment", "核查不属实时请写明情况")
        return data
