"""Forms of the office staff's suggestion pages: filters, entry from paper,
review, assignment, the category and routing tables, and the paper receipt
of an evaluation. Every message names its field in Chinese."""

import itertools

from django import forms
from django.db.models import Q

from renda.core.areas import Area
from renda.core.forms import ModelChoicesField
from renda.core.models import Body, BodyKind, Region, RegionLevel, Session, Unit
from renda.core.scope import RegionScopedQuerySet
from renda.core.search import contains_text
from renda.deputies.models import Person
from renda.suggestions.forms_workspace import sniff_upload
from renda.suggestions.models import (
    Category,
    Kind,
    Occasion,
    Rating,
    RoutingRule,
    Status,
    Suggestion,
)
from renda.suggestions.services import IntakeReason

# What a paper original's scan may be, and the content types a browser may
# declare for it (some declare a .docx as zip or octet-stream).
ATTACHMENT_TYPES = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg", "image/pjpeg"},
    "png": {"image/png"},
    "docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
        "application/octet-stream",
    },
}

# Items another item may be merged into (see services.suggestion_merge).
MERGE_TARGET_EXCLUDED = [Status.DRAFT, Status.MERGED, Status.NOT_ACCEPTED, Status.WITHDRAWN]


class CategoryScope(RegionScopedQuerySet):
    """Categories a user works with: national ones, their region's, those of
    the regions above and below. (Belongs on Category.objects; kept here
    until the model takes it.)"""

    region_path = "region"
    include_ancestors = True
    include_national = True


class RoutingScope(RegionScopedQuerySet):
    """Routing rows of the user's region, below it and above it."""

    region_path = "region"
    include_ancestors = True


def categories_for(user):
    return CategoryScope(model=Category).visible_to(user)


def routes_for(user):
    return RoutingScope(model=RoutingRule).visible_to(user)


def manageable_regions(user):
    """County and township regions a user keeps tables for: their own and below."""
    regions = Region.objects.visible_to(user).filter(
        level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET]
    )
    if not user.is_superuser:
        regions = regions.filter(code__startswith=user.region.code)
    return regions


def congresses_for(user):
    """The congresses a user may enter items for: within their own region."""
    bodies = Body.objects.visible_to(user).filter(kind=BodyKind.CONGRESS).select_related("region")
    if not user.is_superuser:
        bodies = bodies.filter(region__code__startswith=user.region.code)
    return bodies


def sessions_for(user):
    return Session.objects.filter(
        term__body__in=Body.objects.visible_to(user).filter(kind=BodyKind.CONGRESS)
    ).select_related("term__body")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


class PeopleChoiceField(ModelChoicesField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


class _SessionsByCongress(forms.models.ModelChoiceIterator):
    """A county's filter offers every township's sessions too: grouped by
    congress, the county's own first, the latest session first in each."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        sessions = self.queryset.select_related("term__body__region").order_by(
            "term__body__region__code", "term__body_id", "-opened_on", "pk"
        )
        for body, group in itertools.groupby(sessions, key=lambda session: session.term.body):
            yield (body.name, [self.choice(session) for session in group])


class SessionChoiceField(forms.ModelChoiceField):
    iterator = _SessionsByCongress

    def label_from_instance(self, obj):
        return obj.label


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked on its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [one for one in files if one]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


def check_attachment(upload) -> None:
    """Size, the real type from the content (sniff_upload, shared with the
    workspace), and the content type the browser declared."""
    try:
        kind = sniff_upload(upload)
    except forms.ValidationError as error:
        raise forms.ValidationError(f"“{upload.name}”：{'；'.join(error.messages)}") from None
    if kind not in ATTACHMENT_TYPES:
        raise forms.ValidationError(f"“{upload.name}”：只能上传 PDF、JPG、PNG 或 Word（.docx）文件")
    if (upload.content_type or "").lower() not in ATTACHMENT_TYPES[kind]:
        raise forms.ValidationError(f"“{upload.name}”：文件内容与声明的类型不符")


class SuggestionFilterForm(forms.Form):
    q = forms.CharField(label="案由", required=False, max_length=120)
    status = forms.ChoiceField(label="状态", required=False)
    kind = forms.ChoiceField(label="类别", required=False)
    occasion = forms.ChoiceField(label="提出时间", required=False)
    session = SessionChoiceField(label="会议", required=False, queryset=Session.objects.none())
    category = forms.ModelChoiceField(
        label="分类", required=False, queryset=Category.objects.none()
    )
    unit = forms.ModelChoiceField(label="承办单位", required=False, queryset=Unit.objects.none())
    overdue = forms.BooleanField(label="仅看逾期", required=False)
    key_supervised = forms.BooleanField(label="仅看重点督办", required=False)

    def __init__(self, *args, user, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["status"].choices = [("", "全部状态"), *Status.choices]
        self.fields["kind"].choices = [("", "议案和建议"), *Kind.choices]
        self.fields["occasion"].choices = [("", "大会和闭会期间"), *Occasion.choices]
        self.fields["session"].queryset = sessions_for(user)
        self.fields["category"].queryset = categories_for(user)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).active()
        area.offer(self.fields["session"], "term__body__region")
        area.offer(self.fields["unit"])
        self.fields["session"].empty_label = "全部会议"
        self.fields["category"].empty_label = "全部分类"
        self.fields["unit"].empty_label = "全部承办单位"
        for name in ("status", "kind", "occasion", "session", "category", "unit"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def apply(self, items, *, overdue_ids):
        """The items filtered by every valid field (an invalid one is left out
        and reported by the page)."""
        data = getattr(self, "cleaned_data", {})
        items = self.area.narrow(items)
        if data.get("q"):
            items = items.filter(contains_text(data["q"], "title", "number"))
        if data.get("status"):
            items = items.filter(status=data["status"])
        if data.get("kind"):
            # The review's decision wins over what the deputy proposed.
            items = items.filter(Q(final_kind=data["kind"]) | Q(final_kind="", kind=data["kind"]))
        if data.get("occasion"):
            items = items.filter(occasion=data["occasion"])
        if data.get("session"):
            items = items.filter(session=data["session"])
        if data.get("category"):
            items = items.filter(category=data["category"])
        if data.get("unit"):
            items = items.filter(
                pk__in=data["unit"].assignments.filter(active=True).values("suggestion")
            )
        if data.get("overdue"):
            items = items.filter(pk__in=overdue_ids)
        if data.get("key_supervised"):
            items = items.filter(key_supervised=True)
        return items


class SuggestionCreateForm(forms.Form):
    """An item entered by staff from a deputy's paper original."""

    congress = forms.ModelChoiceField(label="提交至", queryset=Body.objects.none())
    occasion = forms.ChoiceField(label="提出时间", choices=Occasion.choices)
    session = SessionChoiceField(
        label="会议",
        required=False,
        queryset=Session.objects.none(),
        help_text="大会期间提出的必选",
    )
    kind = forms.ChoiceField(label="提出类别", choices=Kind.choices, initial=Kind.SUGGESTION)
    lead = PersonChoiceField(label="领衔代表", queryset=Person.objects.none())
    co_signers = PeopleChoiceField(
        label="附议代表",
        required=False,
        queryset=Person.objects.none(),
        help_text="联名提出时选择，可多选",
    )
    category = forms.ModelChoiceField(
        label="分类", required=False, queryset=Category.objects.none()
    )
    title = forms.CharField(label="案由", max_length=120)
    body = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text="纸质原件的扫描件等：PDF、JPG、PNG 或 Word（.docx），每个不超过 10 MB",
    )

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        congresses = self.fields["congress"].queryset = congresses_for(user)
        if not self.is_bound and user.region_id:
            # Most paper originals go to the clerk's own congress.
            own = congresses.filter(region_id=user.region_id).values_list("pk", flat=True)
            self.fields["congress"].initial = own.first()
        self.fields["session"].queryset = sessions_for(user)
        people = Person.objects.visible_to(user).serving().select_related("region")
        self.fields["lead"].queryset = people
        self.fields["co_signers"].queryset = people
        self.fields["category"].queryset = categories_for(user).filter(active=True)
        # A province's staff pick the county first: its congresses, sessions
        # and deputies, not the province's thousands (see renda/core/areas.py).
        self.area = area or Area()
        self.area.offer(self.fields["congress"])
        self.area.offer(self.fields["session"], "term__body__region")
        self.area.offer(self.fields["lead"])
        self.area.offer(self.fields["co_signers"])

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        for upload in files:
            check_attachment(upload)
        return files

    def clean(self):
        data = super().clean()
        congress, session = data.get("congress"), data.get("session")
        if (
            data.get("occasion") == Occasion.SESSION
            and not session
            and "session" not in self.errors
        ):
            self.add_error("session", "大会期间提出的，请选择会议")
        if congress and session and session.term.body_id != congress.pk:
            self.add_error("session", "所选会议不是所选人大的会议")
        if congress:
            for field in ("lead", "co_signers"):
                value = data.get(field)
                people = [value] if isinstance(value, Person) else list(value or [])
                outside = [p.name for p in people if not p.region.is_within(congress.region)]
                if outside:
                    self.add_error(field, f"{'、'.join(outside)}不是{congress.name}的代表")
        return data


REVIEW_DECISIONS = [
    ("accept", "立案"),
    ("reject", "不予立案"),
    ("merge", "并案（并入其他建议）"),
]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审查结论", choices=REVIEW_DECISIONS, widget=forms.RadioSelect
    )
    final_kind = forms.ChoiceField(
        label="作为", required=False, choices=[("", "请选择"), *Kind.choices]
    )
    reason_code = forms.ChoiceField(
        label="不予立案理由", required=False, choices=[("", "请选择"), *IntakeReason.CHOICES]
    )
    detail = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    into = forms.ModelChoiceField(
        label="并入主件", required=False, queryset=Suggestion.objects.none()
    )
    into_number = forms.CharField(label="主件编号", required=False, max_length=30)

    def __init__(self, *args, item, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets
        self.targets = targets
        self.item = item

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "accept" and not data.get("final_kind"):
            self.add_error("final_kind", "请选择作为议案或建议办理")
        if decision == "reject" and not data.get("reason_code"):
            self.add_error("reason_code", "请选择不予立案的理由")
        if decision == "merge" and "into" not in self.errors:
            number = (data.get("into_number") or "").strip()
            if not data.get("into") and not number:
                self.add_error("into", "请从相似建议中选择主件，或填写主件编号")
            elif not data.get("into"):
                found = self.targets.filter(number=number).first()
                if found is None:
                    self.add_error("into_number", f"没有可并入的编号为“{number}”的建议")
                else:
                    data["into"] = found
        return data


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.none())
    co_units = ModelChoicesField(
        label="协办单位", required=False, queryset=Unit.objects.none(), help_text="可多选"
    )
    is_complex = forms.BooleanField(
        label="涉及面广、处理难度大（答复期限按较长期限计算）", required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).active().select_related("region")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units

    def clean(self):
        data = super().clean()
        lead = data.get("lead_unit")
        if lead and lead in (data.get("co_units") or []):
            self.add_error("co_units", "主办单位不能同时作为协办单位")
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "region", "order"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = manageable_regions(user)
        # Only a system administrator keeps national categories.
        self.fields["region"].required = not user.is_superuser
        self.fields["name"].help_text = "如 农业、水利、道路交通、教育、民生"

    def clean(self):
        data = super().clean()
        name, region = (data.get("name") or "").strip(), data.get("region")
        if name and Category.objects.filter(name=name, region=region).exists():
            self.add_error("name", f"{region or '全国'}已有类别“{name}”")
        return data

    def validate_constraints(self, exclude=None):
        # The duplicate name is reported in clean() with a clearer message.
        pass


class RoutingForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["category", "region", "lead_unit", "co_units"]

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).active()
        self.fields["category"].queryset = categories_for(user).filter(active=True)
        self.fields["region"].queryset = manageable_regions(user)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["co_units"].required = False
        # A province's staff see its counties, and the townships and units of
        # the county they pick.
        self.area = area or Area()
        self.area.offer_places(self.fields["region"])
        self.area.offer(self.fields["lead_unit"])
        self.area.offer(self.fields["co_units"])

    def clean(self):
        data = super().clean()
        category, region, lead = data.get("category"), data.get("region"), data.get("lead_unit")
        if (
            category
            and region
            and RoutingRule.objects.filter(category=category, region=region).exists()
        ):
            self.add_error("category", f"“{category}”在{region}已有交办路由，请先删除原路由")
        if lead and lead in (data.get("co_units") or []):
            self.add_error("co_units", "主办单位不能同时作为协办单位")
        return data

    def validate_constraints(self, exclude=None):
        pass


class PaperEvaluationForm(forms.Form):
    person = forms.ModelChoiceField(label="评价代表", queryset=Person.objects.none())
    rating = forms.ChoiceField(label="评价", choices=[("", "请选择"), *Rating.choices])
    comment = forms.CharField(
        label="意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不满意时必填",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("rating") == Rating.DISSATISFIED and not (data.get("comment") or "").strip():
            self.add_error("comment", "不满意时请写明意见，以便重新办理")
        return data


class NoteForm(forms.Form):
    """The note of a supervision action (urge, close a commitment, withdraw ...)."""

    note = forms.CharField(label="说明", required=False, max_length=1000)


class SuperviseForm(forms.Form):
    key_supervised = forms.TypedChoiceField(
        label="重点督办", choices=[("1", "列为重点督办"), ("0", "取消重点督办")], coerce=int
    )
    group = forms.CharField(label="督办组", required=False, max_length=120)


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审批结果", choices=[("approve", "批准"), ("refuse", "不批准")]
    )
    note = forms.CharField(label="审批意见", required=False, max_length=1000)


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(
        label="公开答复", choices=[("1", "公开"), ("0", "不公开")], coerce=int
    )
