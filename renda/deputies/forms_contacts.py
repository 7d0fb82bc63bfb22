"""Forms for contact links and visits. They check types and required fields,
and show the services' own checks (no linking oneself, dates within the
link) next to the fields at the same time, so one round shows every problem."""

from django import forms
from django.utils import timezone

from renda.core.forms import DateInput
from renda.deputies.contacts import DEPUTY_OWN_KINDS
from renda.deputies.models import ContactKind, ContactLink, Person, TargetCategory
from renda.deputies.services_contacts import contact_link_problems, contact_visit_problems

VISIT_METHODS = ["走访", "电话", "座谈", "接待", "微信", "其他"]


def _add_problems(form, problems: dict[str, str]) -> None:
    """Put a service's problems on fields that have no error of their own yet."""
    for name, message in problems.items():
        if name not in form.errors:
            form.add_error(name if name in form.fields else None, message)


class ContactLinkForm(forms.Form):
    kind = forms.ChoiceField(label="联系类别", choices=ContactKind.choices)
    linker_title = forms.CharField(
        label="联系人职务",
        max_length=60,
        required=False,
        help_text="领导、主席团成员联系代表时填写，如：县人大常委会副主任",
    )
    deputy = forms.ModelChoiceField(
        label="被联系代表",
        queryset=Person.objects.none(),
        required=False,
        help_text="领导联系代表、主席团成员联系代表时选择",
    )
    target_name = forms.CharField(
        label="联系对象",
        max_length=30,
        required=False,
        help_text="代表联系选民、结对帮扶、五联系时填写对象姓名",
    )
    target_category = forms.ChoiceField(
        label="对象类别", choices=[("", "—")] + TargetCategory.choices, required=False
    )
    target_address = forms.CharField(label="住址", max_length=120, required=False)
    target_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    started_on = forms.DateField(label="建立联系日期", widget=DateInput)

    def __init__(self, *args, user, linker: Person, office: bool, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("started_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.linker = linker
        if office:
            self.fields["deputy"].queryset = (
                Person.objects.visible_to(user).exclude(pk=linker.pk).order_by("name_pinyin")
            )
        else:
            # A deputy records their own voters, households and targets; links
            # from leaders and presidium members are kept by the office.
            self.fields["kind"].choices = [
                (value, label) for value, label in ContactKind.choices if value in DEPUTY_OWN_KINDS
            ]
            del self.fields["deputy"]
            del self.fields["linker_title"]

    def clean(self):
        data = super().clean()
        if "kind" in data:
            _add_problems(
                self,
                contact_link_problems(
                    linker=self.linker,
                    kind=data["kind"],
                    started_on=data.get("started_on"),
                    deputy=data.get("deputy"),
                    target_name=data.get("target_name", ""),
                    target_phone=data.get("target_phone", ""),
                ),
            )
        return data


class ContactLinkEndForm(forms.Form):
    ended_on = forms.DateField(label="结束日期", widget=DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("ended_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ContactVisitForm(forms.Form):
    visited_on = forms.DateField(label="联系日期", widget=DateInput)
    method = forms.ChoiceField(label="联系方式", choices=[(m, m) for m in VISIT_METHODS])
    summary = forms.CharField(
        label="联系内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="了解的情况、反映的意见、帮助解决的事",
    )

    def __init__(self, *args, link: ContactLink, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.link = link

    def clean(self):
        data = super().clean()
        _add_problems(
            self,
            contact_visit_problems(
                link=self.link,
                visited_on=data.get("visited_on"),
                method=data.get("method", ""),
                summary=data.get("summary", ""),
            ),
        )
        return data
