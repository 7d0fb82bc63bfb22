"""Forms of the joint inspection pages (联合检查): which session's
suggestions, then the record itself. They parse and offer choices within the
user's scope; renda.suggestions.services checks and writes."""

from django import forms
from django.utils import timezone

from renda.core.areas import Area
from renda.core.forms import DateInput, ModelChoicesField
from renda.core.models import Session, Unit
from renda.deputies.models import Person
from renda.suggestions.forms_staff import PeopleChoiceField, SessionChoiceField, congresses_for
from renda.suggestions.models import Suggestion
from renda.suggestions.services import INSPECTABLE


def inspectable_sessions(user):
    """Sessions of the congresses the user keeps: their own region's and below."""
    return (
        Session.objects.filter(term__body__in=congresses_for(user))
        .select_related("term__body__region")
        .order_by("-opened_on", "-pk")
    )


class SessionPickForm(forms.Form):
    session = SessionChoiceField(
        label="所查会议",
        queryset=Session.objects.none(),
        empty_label="请选择会议",
        error_messages={
            "required": "请选择所查会议",
            "invalid_choice": "所选会议不存在，或不在您的工作范围内",
        },
    )

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = inspectable_sessions(user)
        # A province keeps every county's sessions: its staff pick a county first.
        (area or Area()).offer(self.fields["session"], "term__body__region")


class SuggestionChoiceField(ModelChoicesField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}（{obj.get_status_display()}）"


class UnitChoiceField(ModelChoicesField):
    def label_from_instance(self, obj):
        return obj.name


def _out_of_scope(what: str) -> dict:
    return {
        "invalid_choice": f"所选{what}（%(value)s）不存在，或不在可选范围内",
        "invalid_pk_value": f"“%(pk)s”不是有效的{what}",
    }


class JointInspectionForm(forms.Form):
    """One inspection of `session`'s suggestions. Editing a record
    (`editing=True`) leaves out the items covered: they stay as recorded."""

    held_on = forms.DateField(
        label="检查日期",
        widget=DateInput,
        initial=timezone.localdate,
        error_messages={"invalid": "请输入有效的日期，如 2026-11-20"},
    )
    deputies = PeopleChoiceField(
        label="参加检查的代表",
        required=False,
        queryset=Person.objects.none(),
        help_text="可多选（按住 Ctrl 或 ⌘ 键）",
        error_messages=_out_of_scope("代表"),
    )
    inspectors = forms.CharField(
        label="其他参加人员",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="代表以外的参加人员，如常委会组成人员、机关工作人员",
    )
    units = UnitChoiceField(
        label="被检查的承办单位",
        required=False,
        queryset=Unit.objects.none(),
        help_text="默认选中所查建议的主办、协办单位",
        error_messages=_out_of_scope("承办单位"),
    )
    suggestions = SuggestionChoiceField(
        label="检查的建议",
        queryset=Suggestion.objects.none(),
        help_text="该次会议已交办的建议，默认全部选中",
        error_messages={"required": "请选择检查的建议", **_out_of_scope("建议")},
    )
    findings = forms.CharField(
        label="检查情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="查阅办理材料、听取汇报、实地察看等情况，发现的问题",
    )
    requirements = forms.CharField(
        label="跟进要求",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="对承办单位的整改和跟进要求",
    )

    def __init__(self, *args, user, session, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        region = session.term.body.region
        self.fields["deputies"].queryset = (
            Person.objects.visible_to(user)
            .serving()
            .filter(region__code__startswith=region.code)
            .select_related("region")
            .order_by("name_pinyin", "pk")
        )
        self.fields["units"].queryset = Unit.objects.visible_to(user).order_by("name")
        if editing:
            del self.fields["suggestions"]
            return
        items = (
            Suggestion.objects.visible_to(user)
            .filter(session=session, status__in=INSPECTABLE)
            .order_by("number", "pk")
        )
        self.fields["suggestions"].queryset = items
        self.fields["suggestions"].widget.attrs["size"] = 12
        if not self.is_bound:
            self.initial.setdefault("suggestions", list(items.values_list("pk", flat=True)))
            self.initial.setdefault(
                "units",
                list(
                    Unit.objects.visible_to(user)
                    .filter(assignments__suggestion__in=items, assignments__active=True)
                    .values_list("pk", flat=True)
                    .distinct()
                ),
            )
