"""Forms of the activities pages: an activity with its participants and
their attendance, its attachments, and one participant's attendance.

They parse and check input only; every write goes through
renda.duties.services, whose field errors land on the field of the same
name (`renda.core.forms.add_service_error`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from renda.core import clock
from renda.core.areas import Area
from renda.core.forms import DateInput, ModelChoicesField
from renda.core.models import Body, RegionLevel
from renda.core.params import as_id
from renda.deputies.models import Group, GroupMembership, Person, Station
from renda.duties.models import ACTIVITY_KINDS, Activity, Attendance
from renda.duties.services import can_record_activity
from renda.suggestions.forms_workspace import sniff_upload

__all__ = ["ActivityForm", "AttachmentForm", "AttendanceForm"]

MAX_ATTACHMENTS = 20
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The organiser is one choice among bodies, groups and stations: "group:7".
ORGANISER_KINDS = {"body": Body, "group": Group, "station": Station}


def checked_upload(upload):
    """(upload, content type) when the file's content is a PDF, JPG, PNG,
    Word or Excel file whose extension agrees; else a ValidationError
    naming the file."""
    try:
        kind = sniff_upload(upload)
    except ValidationError as error:
        raise ValidationError(f"“{upload.name}”：{error.messages[0]}") from None
    return upload, CONTENT_TYPES[kind]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Photos, the sign-in sheet, a report: checked by their content."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf,.docx,.xlsx"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(f"附件一次最多上传 {MAX_ATTACHMENTS} 个")
        if not files and self.required:
            raise ValidationError("请选择要上传的文件")
        return [
            checked_upload(super(AttachmentsField, self).clean(item, initial)) for item in files
        ]


def deputies_for(user, *, also=()):
    """Serving deputies a user may name as participants, and `also` (the
    activity's current participants, who may have left office since)."""
    serving = Person.objects.visible_to(user).serving().values("pk")
    return Person.objects.filter(Q(pk__in=serving) | Q(pk__in=list(also))).select_related("region")


def organiser_choices(user, area: Area | None = None) -> list:
    """Grouped choices: bodies (the user's own and those above), deputy
    groups and stations the user can see; on a province's server the
    chosen county's, with the bodies above the counties."""
    area = area or Area()
    bodies = Body.objects.visible_to(user).select_related("region").order_by("region__code", "pk")
    if area.options:
        above = bodies.filter(region__level__in=(RegionLevel.PROVINCE, RegionLevel.CITY))
        bodies = above | area.choices(bodies)
    groups = area.choices(Group.objects.visible_to(user).order_by("region__code", "kind", "name"))
    stations = area.choices(Station.objects.visible_to(user).filter(active=True))
    return [
        ("", "请选择组织者"),
        ("机构", [(f"body:{b.pk}", b.name) for b in bodies]),
        ("代表小组", [(f"group:{g.pk}", g.name) for g in groups]),
        (
            "联络站",
            [(f"station:{s.pk}", s.name) for s in stations.order_by("region__code", "name")],
        ),
    ]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="活动类型", choices=[(k.value, k.label) for k in ACTIVITY_KINDS])
    title = forms.CharField(label="活动主题", max_length=120)
    held_on = forms.DateField(label="活动日期", widget=DateInput)
    place = forms.CharField(label="地点", max_length=120, required=False)
    # A select of the area's organisers (`organiser_choices`) that accepts any
    # organiser the user can see: `clean_organiser` decides, so an activity
    # corrected with another county picked keeps its own (as `Area.offer`).
    organiser = forms.CharField(
        label="组织者",
        widget=forms.Select,
        help_text="组织活动的机构、代表小组或联络站；活动归属其所在区划",
    )
    content = forms.CharField(
        label="活动内容", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    participants = ModelChoicesField(
        label="参加代表",
        queryset=Person.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "请选择参加活动的代表",
            "invalid_choice": "所选代表不在您可选的范围内，请重新选择",
            "invalid_pk_value": "所选代表不正确，请重新选择",
        },
    )
    attachments = AttachmentsField(
        label="附件",
        required=False,
        help_text="活动照片、签到表、活动记录等：JPG、PNG、PDF、Word 或 Excel，每个不超过 10 MB",
    )

    def __init__(
        self, *args, user, activity: Activity | None = None, area: Area | None = None, **kwargs
    ):
        self.user = user
        # A province's staff pick a county first: the picker then holds its
        # deputies, groups and stations, not the province's (renda/core/areas.py).
        self.area = area or Area()
        self.activity = activity
        self.current = {}
        if activity is not None:
            self.current = {
                r.person_id: (r.attendance, r.leave_reason)
                for r in activity.records.all().only("person_id", "attendance", "leave_reason")
            }
            kwargs.setdefault(
                "initial",
                {
                    "kind": activity.kind,
                    "title": activity.title,
                    "held_on": activity.held_on,
                    "place": activity.place,
                    "content": activity.content,
                    "organiser": _organiser_value(activity),
                    "participants": list(self.current),
                },
            )
        else:
            # Most activities are entered on the day or just after.
            kwargs.setdefault("initial", {"held_on": clock.today()})
        super().__init__(*args, **kwargs)
        self.fields["held_on"].widget.attrs["max"] = clock.today().isoformat()
        self.fields["organiser"].widget.choices = organiser_choices(user, self.area)
        self.fields["participants"].queryset = deputies_for(user, also=self.current)
        if activity is not None:
            # Attachments of an existing activity are added on its page.
            del self.fields["attachments"]
        self.row_errors: dict[int, str] = {}
        self.attendance: dict = {}

    def clean_organiser(self):
        value = self.cleaned_data["organiser"]
        kind, _, pk = value.partition(":")
        model = ORGANISER_KINDS.get(kind)
        found = None
        if model is not None and (pk := as_id(pk)):
            found = model.objects.visible_to(self.user).filter(pk=pk).first()
        if found is None:
            raise ValidationError("请从列表中选择组织者")
        return found

    def clean(self):
        data = super().clean()
        people = data.get("participants")
        if people:
            self.attendance = self._attendance(people)
        organiser = data.get("organiser")
        if organiser is not None:
            data["region"] = self._region(organiser)
        return data

    def _attendance(self, people) -> dict:
        """{person: (attendance, leave reason)} from each row's inputs; a
        leave without a reason is named on its row and above the form."""
        attendance, missing = {}, []
        for person in people:
            value = self.data.get(f"attendance_{person.pk}", Attendance.PRESENT)
            reason = self.data.get(f"reason_{person.pk}", "").strip()[:120]
            if value not in Attendance.values:
                self.row_errors[person.pk] = "请选择出勤情况"
                self.add_error("participants", f"{person.name}的出勤情况不正确")
                continue
            if value == Attendance.LEAVE and not reason:
                self.row_errors[person.pk] = "请填写请假事由"
                missing.append(person.name)
            attendance[person] = (value, reason if value == Attendance.LEAVE else "")
        if missing:
            self.add_error("participants", f"{'、'.join(missing)}请假，请填写请假事由")
        return attendance

    def _region(self, organiser):
        """The organiser's region when the user may record there (a group,
        a station, the user's own congress), else the user's own region: a
        township clerk records a county inspection its deputies attended."""
        if self.activity is not None:
            return self.activity.region
        if can_record_activity(self.user, organiser.region):
            return organiser.region
        if self.user.region_id is None:
            self.add_error("organiser", "请选择本辖区的组织者")
        return self.user.region

    def activity_fields(self) -> dict:
        """The keyword arguments of services.activity_create/activity_update."""
        data = self.cleaned_data
        organiser = data["organiser"]
        return {
            "kind": data["kind"],
            "title": data["title"],
            "held_on": data["held_on"],
            "place": data["place"],
            "content": data["content"],
            "participants": self.attendance,
            "organiser_body": organiser if isinstance(organiser, Body) else None,
            "organiser_group": organiser if isinstance(organiser, Group) else None,
            "organiser_station": organiser if isinstance(organiser, Station) else None,
        }

    def participant_rows(self) -> list[dict]:
        """The chosen participants to show as rows: what was posted (so a
        form sent back keeps every choice), else the activity's own."""
        if self.is_bound:
            ids = [pk for v in self.data.getlist("participants") if (pk := as_id(v))]
            values = {
                pk: (
                    self.data.get(f"attendance_{pk}", Attendance.PRESENT),
                    self.data.get(f"reason_{pk}", ""),
                )
                for pk in ids
            }
        else:
            ids = list(self.current)
            values = self.current
        people = self.fields["participants"].queryset.in_bulk(ids)
        return [
            {
                "person": people[pk],
                "attendance": values[pk][0],
                "reason": values[pk][1],
                "error": self.row_errors.get(pk, ""),
            }
            for pk in dict.fromkeys(ids)
            if pk in people
        ]

    def picker_data(self) -> dict:
        """What the participant picker searches, as JSON: the deputies with
        their pinyin, and the members of each group and station."""
        people = self.area.choices(self.fields["participants"].queryset)
        people = people.order_by("name_pinyin", "pk")
        deputies = [
            {
                "id": p.pk,
                "name": p.name,
                "py": p.name_pinyin,
                "ini": p.name_initials,
                "place": p.region.name,
            }
            for p in people
        ]
        groups = list(
            self.area.choices(Group.objects.visible_to(self.user).order_by("region__code", "name"))
        )
        members = {}
        for group_id, person_id in GroupMembership.objects.filter(group__in=groups).values_list(
            "group_id", "person_id"
        ):
            members.setdefault(group_id, []).append(person_id)
        stations = list(
            self.area.choices(
                Station.objects.visible_to(self.user).filter(active=True).order_by("region__code")
            )
        )
        residents = {}
        through = Station.resident_deputies.through
        for station_id, person_id in through.objects.filter(station__in=stations).values_list(
            "station_id", "person_id"
        ):
            residents.setdefault(station_id, []).append(person_id)
        return {
            "deputies": deputies,
            "sets": [
                {"key": f"group:{g.pk}", "name": g.name, "members": members.get(g.pk, [])}
                for g in groups
            ]
            + [
                {"key": f"station:{s.pk}", "name": s.name, "members": residents.get(s.pk, [])}
                for s in stations
            ],
        }


def _organiser_value(activity: Activity) -> str:
    if activity.organiser_group_id:
        return f"group:{activity.organiser_group_id}"
    if activity.organiser_station_id:
        return f"station:{activity.organiser_station_id}"
    if activity.organiser_body_id:
        return f"body:{activity.organiser_body_id}"
    return ""


class AttendanceForm(forms.Form):
    """One participant's attendance, changed on the activity's page."""

    attendance = forms.ChoiceField(label="出勤", choices=Attendance.choices)
    leave_reason = forms.CharField(label="请假事由", max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if data.get("attendance") == Attendance.LEAVE and not data.get("leave_reason", "").strip():
            self.add_error("leave_reason", "请假请填写请假事由")
        return data


class AttachmentForm(forms.Form):
    files = AttachmentsField(
        label="上传附件",
        help_text="活动照片、签到表等：JPG、PNG、PDF、Word 或 Excel，每个不超过 10 MB",
    )
