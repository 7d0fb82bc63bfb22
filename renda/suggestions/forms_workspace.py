"""Forms of the handling units' workspace and of the deputy's own pages.

They parse and check input only; every write goes through
renda.suggestions.services, whose field errors land on the field of the
same name (see `renda.core.forms.add_service_error`)."""

import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from renda.core.forms import DateInput, ModelChoicesField
from renda.core.models import Body, BodyKind, Region, Session, SessionStatus
from renda.deputies.models import Level, Mandate, Person
from renda.suggestions.models import (
    Category,
    Consultation,
    ConsultationForm,
    Kind,
    Occasion,
    Rating,
)
from renda.suggestions.reply_classes import reply_classes

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# What an upload really is, read from its first bytes and, for Office files,
# from the parts inside the zip: a renamed .exe is not a .pdf.
UPLOAD_KINDS = {
    "pdf": {".pdf"},
    "jpg": {".jpg", ".jpeg"},
    "png": {".png"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
}


def sniff_upload(upload) -> str:
    """The real type of an uploaded file (pdf, jpg, png, docx, xlsx), or a
    ValidationError in Chinese. The extension must agree with the content."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("文件不能超过 10 MB")
    head = upload.read(8)
    upload.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        upload.seek(0)
        if "word/document.xml" in names:
            kind = "docx"
        elif "xl/workbook.xml" in names:
            kind = "xlsx"
    if kind is None:
        raise ValidationError("只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件")
    name = upload.name.lower()
    if not any(name.endswith(ext) for ext in UPLOAD_KINDS[kind]):
        raise ValidationError(f"文件内容是 {kind.upper()}，与文件扩展名不符")
    return kind


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            sniff_upload(upload)
        return upload


# --- who drafts where ---------------------------------------------------------------


def congresses_for(person: Person):
    """The congresses a deputy may submit to: of their township or county,
    where they hold a current mandate (a mandate names its term's congress;
    one recorded without a term points at the congress of the person's own
    township or of its county)."""
    ids = set()
    region = person.region
    county = region.parent if region.is_township_level else region
    for mandate in person.mandates.filter(ended_on__isnull=True).select_related("term__body"):
        if mandate.term_id and mandate.term.body.kind == BodyKind.CONGRESS:
            ids.add(mandate.term.body_id)
        elif mandate.level == Level.TOWNSHIP and region.is_township_level:
            ids |= set(_congress_of(region))
        elif mandate.level == Level.COUNTY and county is not None:
            ids |= set(_congress_of(county))
    return Body.objects.filter(pk__in=ids, kind=BodyKind.CONGRESS).select_related("region")


def _congress_of(region: Region):
    return Body.objects.filter(region=region, kind=BodyKind.CONGRESS).values_list("pk", flat=True)


def congress_deputies(congresses):
    """People holding a current mandate in any of these congresses: by the
    mandate's term, or, for a mandate entered without one, by its level and
    the deputy's region. The ways are joined by UNION ALL, each read through
    its own index: ORed over joined tables they made PostgreSQL read every
    deputy and mandate of the province (20 ms at 19 counties, 0.9 ms now)."""
    current = Mandate.objects.filter(ended_on__isnull=True).order_by()
    ways = []
    for congress in congresses:
        level = Level.TOWNSHIP if congress.region.is_township_level else Level.COUNTY
        ways.append(current.filter(term__body=congress))
        ways.append(
            current.filter(
                term__isnull=True,
                level=level,
                person__region__code__startswith=congress.region.code,
            )
        )
    if not ways:
        return Person.objects.none()
    first, *rest = (way.values("person_id") for way in ways)
    return Person.objects.filter(pk__in=first.union(*rest, all=True))


def categories_for(congresses):
    codes = {code for body in congresses for code in body.region.ancestor_codes()}
    return Category.objects.filter(active=True).filter(
        Q(region__isnull=True) | Q(region__code__in=codes)
    )


class DraftForm(forms.Form):
    """A deputy's suggestion, drafted on a phone."""

    congress = forms.ModelChoiceField(label="提交至", queryset=Body.objects.none())
    occasion = forms.ChoiceField(
        label="提出时间", choices=Occasion.choices, initial=Occasion.INTERIM
    )
    session = forms.ModelChoiceField(
        label="会议",
        queryset=Session.objects.none(),
        required=False,
        help_text="大会期间提出的，请选择会议",
    )
    kind = forms.ChoiceField(label="类别", choices=Kind.choices, initial=Kind.SUGGESTION)
    category = forms.ModelChoiceField(
        label="内容分类", queryset=Category.objects.none(), required=False
    )
    title = forms.CharField(label="案由", max_length=120)
    body = forms.CharField(
        label="内容",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="一事一议：一件建议只提一个事项",
    )
    co_signers = ModelChoicesField(
        label="联名代表",
        queryset=Person.objects.none(),
        required=False,
        help_text="可选；只能选择同一人大的代表",
    )
    photo = UploadField(
        label="照片或附件",
        required=False,
        help_text="可拍照上传；PDF、JPG、PNG、Word、Excel，不超过 10 MB",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        congresses = list(congresses_for(person))
        self.fields["congress"].queryset = Body.objects.filter(
            pk__in=[c.pk for c in congresses]
        ).select_related("region")
        if len(congresses) == 1:
            self.fields["congress"].initial = congresses[0].pk
        self.fields["session"].queryset = (
            Session.objects.filter(term__body__in=congresses)
            .exclude(status__in=[SessionStatus.CLOSED, SessionStatus.CANCELLED])
            .select_related("term__body")
        )
        self.fields["session"].label_from_instance = lambda s: f"{s.term.body.name}{s.label}"
        self.fields["category"].queryset = categories_for(congresses)
        self.fields["co_signers"].queryset = (
            congress_deputies(congresses).exclude(pk=person.pk).order_by("name_pinyin")
        )

    def clean(self):
        data = super().clean()
        congress = data.get("congress")
        if not congress:
            return data
        if data.get("occasion") == Occasion.SESSION:
            session = data.get("session")
            if session is None:
                self.add_error("session", "大会期间提出的，请选择会议")
            elif session.term.body_id != congress.pk:
                self.add_error("session", "所选会议不属于所选人大")
        co_signers = data.get("co_signers") or []
        if co_signers:
            allowed = set(
                congress_deputies([congress])
                .filter(pk__in=[p.pk for p in co_signers])
                .values_list("pk", flat=True)
            )
            outside = [p.name for p in co_signers if p.pk not in allowed]
            if outside:
                self.add_error(
                    "co_signers", f"{'、'.join(outside)}不是{congress.name}的代表，不能联名"
                )
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由", widget=forms.Textarea(attrs={"rows": 3}), help_text="撤回须书面说明理由"
    )


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(label="评价", choices=[("", "请选择"), *Rating.choices])
    comment = forms.CharField(
        label="意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="不满意时请写明意见，以便重新办理",
    )


# --- the handling unit's forms -----------------------------------------------------------


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="说明不属于本单位职责的理由，并可建议承办单位",
    )


class ConsultationStepForm(forms.Form):
    step = forms.ChoiceField(label="环节", choices=Consultation.Step.choices)
    held_on = forms.DateField(
        label="日期",
        widget=DateInput,
        initial=timezone.localdate,
    )
    way = forms.ChoiceField(
        label="方式", choices=[("", "—"), *ConsultationForm.choices], required=False
    )
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 5}))
    deputy_view = forms.CharField(
        label="代表意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(forms.Form):
    """The classes offered are the scheme in force for the item's region on
    the reply date entered (today until one is entered); the service checks
    the same scheme again."""

    reply_class = forms.ChoiceField(label="答复类别")
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 8}))
    commitment = forms.CharField(
        label="承诺事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signed_by = forms.CharField(label="签发人", max_length=30, help_text="单位负责人")
    replied_on = forms.DateField(
        label="答复日期",
        widget=DateInput,
        initial=timezone.localdate,
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        day = self._entered_day() or timezone.localdate()
        self.scheme = reply_classes(region, day)
        field = self.fields["reply_class"]
        field.choices = [("", "请选择"), *self.scheme.choices()]
        field.error_messages["invalid_choice"] = (
            f"“%(value)s”不在{region.name}{day:%Y年%m月%d日}施行的答复分类之内，"
            f"请从{self.scheme.labels_text}中选择"
        )
        if self.scheme.commitment_labels:
            self.fields[
                "commitment"
            ].help_text = f"{self.scheme.commitment_labels}答复须写明落实承诺及时限"

    def intro(self) -> str:
        """What the page says above the form: who signs, which classes need
        a commitment, the scheme and its source."""
        scheme = self.scheme
        text = "答复须由单位负责人签发"
        if scheme.commitment_labels:
            text += f"；{scheme.commitment_labels}答复须写明落实承诺及时限"
        text += f"。答复分类：{scheme.labels_text}"
        if scheme.rule is not None:
            text += f"（依据：{scheme.rule.source}）"
        return text + "。"

    def _entered_day(self):
        if not self.is_bound:
            return None
        try:
            return self.fields["replied_on"].clean(self.data.get(self.add_prefix("replied_on")))
        except ValidationError:
            return None


class CoOpinionForm(forms.Form):
    opinion = forms.CharField(label="协办意见", widget=forms.Textarea(attrs={"rows": 6}))


class ExtensionForm(forms.Form):
    requested_until = forms.DateField(label="申请延期至", widget=DateInput)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 4}))


class AttachmentForm(forms.Form):
    file = UploadField(label="附件", help_text="PDF、JPG、PNG、Word、Excel，不超过 10 MB")
