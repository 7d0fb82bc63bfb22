from django import forms

from renda.core.forms import DateInput
from renda.core.models import Region, RegionLevel, Term
from renda.core.text import term_label
from renda.deputies.idcard import IdNumberError, identity_problems, parse_id_number
from renda.deputies.models import Constituency, EndReason, Group, Level, Mandate, MemberRole, Person


def manageable_townships(user):
    """Regions a user may file deputies under: their own region and below, at
    county or township level."""
    regions = Region.objects.visible_to(user).filter(
        level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET]
    )
    if not user.is_superuser:
        regions = regions.filter(code__startswith=user.region.code)
    return regions


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "ethnicity",
            "party",
            "occupation",
            "education",
            "unit_and_post",
            "mobile",
            "public_phone",
            "region",
            "photo",
            "commitments",
        ]
        widgets = {
            "birth_date": DateInput(),
            "commitments": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = manageable_townships(user)
        self.fields["id_number"].required = True

    def clean_id_number(self):
        try:
            return parse_id_number(self.cleaned_data["id_number"]).number
        except IdNumberError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        if mobile and not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
            raise forms.ValidationError("手机号码应为 11 位数字，以 1 开头")
        return mobile

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "size") and photo.size > 5 * 1024 * 1024:
            raise forms.ValidationError("照片不能超过 5 MB")
        return photo

    def clean(self):
        data = super().clean()
        if data.get("id_number"):
            for field, message in identity_problems(
                data["id_number"], data.get("birth_date"), data.get("gender")
            ).items():
                self.add_error(field, message)
        return data


class MandateForm(forms.ModelForm):
    class Meta:
        model = Mandate
        fields = ["level", "term", "constituency", "electoral_unit", "elected_on", "reelected"]
        widgets = {"elected_on": DateInput()}

    term_number = forms.IntegerField(
        label="届次（数字）",
        min_value=1,
        max_value=99,
        required=False,
        help_text="未关联本系统中的届时填写，如 14",
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        codes = person.region.ancestor_codes()
        self.fields["term"].queryset = Term.objects.filter(
            body__region__code__in=codes
        ).select_related("body")
        self.fields["term"].required = False
        self.fields["constituency"].queryset = Constituency.objects.filter(
            region__code__in=codes
        ) | Constituency.objects.filter(region__code__startswith=person.region.code)

    def clean(self):
        data = super().clean()
        term, number = data.get("term"), data.get("term_number")
        if not term and not number:
            self.add_error("term_number", "请选择届或填写届次")
        elif term:
            self.instance.term_label = term.label
        else:
            self.instance.term_label = term_label(number)
        if data.get("level") in (Level.COUNTY, Level.TOWNSHIP) and not term:
            self.add_error("term", "县、乡镇人大代表请选择本系统中的届")
        self.instance.person = self.person
        return data


class MandateEndForm(forms.Form):
    ended_on = forms.DateField(label="终止日期", widget=DateInput)
    end_reason = forms.ChoiceField(label="终止原因", choices=EndReason.choices)


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["kind", "name", "region", "topic", "survey_topic", "liaison_name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = manageable_townships(user)


class MembershipForm(forms.Form):
    person = forms.ModelChoiceField(label="代表", queryset=Person.objects.none())
    role = forms.ChoiceField(label="职务", choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).serving()
