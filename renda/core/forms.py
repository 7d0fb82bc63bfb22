from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from renda.core.areas import Area
from renda.core.models import Region, RegionLevel, Rule, Unit
from renda.core.params import as_id
from renda.core.rules import RuleMissing
from renda.core.workflow import TransitionError

# What a service refuses with: a form shows it (add_service_error), the API
# answers 400 (renda.api.errors.call_service); never a 500.
SERVICE_ERRORS = (ValidationError, TransitionError, RuleMissing)


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (2026-11-23) whatever
    the locale's display format: zh-hans writes 2026/11/23, which the picker
    drops, so a prefilled date would show empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, with every posted value checked as
    an id (renda.core.params.as_id) first: Django checks each value with an
    exact lookup, which lets a number past the integer columns through, and
    its `pk__in` query then fails on SQLite (OverflowError, a 500). Every
    several-choice field of the project is one of these."""

    def _check_values(self, value):
        if not self.to_field_name and not isinstance(value, str):
            for pk in value:
                if isinstance(pk, str) and as_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


def add_service_error(form, error, renamed=None) -> None:
    """Put a service's error on the form: field errors on the field of the
    same name (or its `renamed` counterpart) when the form has it,
    everything else above the form."""
    renamed = renamed or {}
    if isinstance(error, TransitionError):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            name = renamed.get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


def service_error_text(error, labels: dict | None = None) -> str:
    """A service's refusal (SERVICE_ERRORS) as one message; an error on a
    field that `labels` names follows the label ("撤回理由：请填写……")."""
    if not isinstance(error, ValidationError):
        return str(error)
    if hasattr(error, "error_dict") and labels:
        return "；".join(
            f"{labels[name]}：{message}" if name in labels else message
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return "；".join(error.messages)


def error_lines(form) -> list[str]:
    """Each of a form's errors with its field's label ("年度：请填写四位数的年份");
    an error of the whole form as it is."""
    return [
        f"{form.fields[name].label}：{message}" if name in form.fields else message
        for name, messages in form.errors.items()
        for message in messages
    ]


def error_text(form) -> str:
    """`error_lines` as one message."""
    return "；".join(error_lines(form))


class QueryForm(forms.Form):
    """A form that picks what a page lists or counts (GET). A pick in
    `SCOPE_FIELDS` that is not among the choices, which are the user's
    scope, is `out_of_scope`: the views answer 404, never an empty page.

    On a province's or a city's server `area` is the county picked
    (renda.core.areas). A page listing every record of a place is `waiting`
    until the user picks a county or one of the `PLACE_FIELDS` in one."""

    SCOPE_FIELDS: tuple[str, ...] = ()
    PLACE_FIELDS: tuple[str, ...] = ()

    def __init__(self, data, *, area: Area | None = None):
        super().__init__(data)
        self.area = area or Area()

    @property
    def waiting(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return self.area.waiting and not any(data.get(name) for name in self.PLACE_FIELDS)

    @property
    def out_of_scope(self) -> bool:
        return any(
            error.code == "invalid_choice"
            for name in self.SCOPE_FIELDS
            for error in self.errors.as_data().get(name, [])
        )

    def error_lines(self) -> list[str]:
        return error_lines(self)


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "region",
            "head",
            "contact_person",
            "office_phone",
            "address",
            "active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.visible_to(user)
            .filter(code__startswith=user.region.code if user.region_id else "")
            .filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET])
        )


class RuleValueField(forms.JSONField):
    """A rule's value as a clerk writes it: a number, words, or JSON
    ({"months": 3}). Words that are not JSON are kept as text, and text is
    shown without JSON's quotes; no value is an empty box, not "null".
    What opens like JSON ({, [ or ") must be JSON."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            if not isinstance(value, str) or value.strip().startswith(("{", "[", '"')):
                raise
            return value.strip()

    def prepare_value(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        return super().prepare_value(value)


class RuleForm(forms.ModelForm):
    value = RuleValueField(
        label="取值",
        help_text='数字、文字或 JSON，例如 3、县人大常委会 或 {"months": 3}',
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Rule
        fields = ["key", "region", "value", "effective_from", "source", "note"]
        widgets = {
            "effective_from": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.visible_to(user).filter(
            level__in=[
                RegionLevel.PROVINCE,
                RegionLevel.CITY,
                RegionLevel.COUNTY,
                RegionLevel.TOWNSHIP,
                RegionLevel.STREET,
            ]
        )
        if not user.is_superuser:
            regions = regions.filter(code__startswith=user.region.code)
            self.fields["region"].required = True
        self.fields["region"].queryset = regions


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续输错 %(limit)s 次后账号将被暂时锁定。",
        "inactive": "该账号已停用，请联系县人大办公室。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"

    def get_invalid_login_error(self):
        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )
