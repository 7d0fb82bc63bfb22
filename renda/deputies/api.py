"""Deputies endpoints: people, mandates, groups, stations. Read for signed-in
roles within scope (deputies and liaison officers see others' public fields
only); written by office staff for their own region and below."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from renda.api.errors import as_drf_error
from renda.core.params import as_id
from renda.core.permissions import OFFICE, REGIONAL, can_manage_region, has_role
from renda.deputies import services
from renda.deputies.idcard import IdNumberError, identity_problems, mask_id_number, parse_id_number
from renda.deputies.models import Group, GroupMembership, Mandate, Person, Station
from renda.deputies.selectors import can_read_private, person_search
from renda.deputies.services_stations import station_save


class RegionalReadOfficeWrite(permissions.BasePermission):
    message = "没有权限执行此操作"

    def has_permission(self, request, view):
        roles = REGIONAL if request.method in permissions.SAFE_METHODS else OFFICE
        return has_role(request.user, roles)


class PersonSerializer(serializers.ModelSerializer):
    """Public fields for everyone in scope; private ones only for managers
    and the deputy themself. The ID number is always masked here."""

    id_number = serializers.CharField(write_only=True, required=True)
    id_number_masked = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "name_pinyin",
            "gender",
            "ethnicity",
            "party",
            "occupation",
            "education",
            "unit_and_post",
            "public_phone",
            "commitments",
            "region",
            "birth_date",
            "mobile",
            "id_number",
            "id_number_masked",
        ]
        read_only_fields = ["name_pinyin"]

    PRIVATE = ("birth_date", "mobile", "id_number_masked")

    def get_id_number_masked(self, person) -> str:
        return mask_id_number(person.id_number)

    def to_representation(self, person):
        data = super().to_representation(person)
        if not can_read_private(self.context["request"].user, person):
            for field in self.PRIVATE:
                data.pop(field, None)
        return data

    def validate_id_number(self, value):
        try:
            return parse_id_number(value).number
        except IdNumberError as error:
            raise serializers.ValidationError(str(error)) from None

    def validate_region(self, region):
        if not can_manage_region(self.context["request"].user, region):
            raise serializers.ValidationError("该区划不在您的管理范围")
        return region

    def validate(self, data):
        number = data.get("id_number", getattr(self.instance, "id_number", None))
        problems = identity_problems(
            number or "",
            data.get("birth_date", getattr(self.instance, "birth_date", None)),
            data.get("gender", getattr(self.instance, "gender", None)),
        )
        if problems:
            raise serializers.ValidationError(problems)
        return data

    def save(self, **kwargs):
        person = self.instance or Person()
        for field, value in self.validated_data.items():
            setattr(person, field, value)
        try:
            self.instance = services.person_save(person=person, actor=self.context["request"].user)
        except DjangoValidationError as error:
            raise as_drf_error(error) from None
        return self.instance


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Deputies. `?q=` searches by name, full pinyin or initials ("zs" finds 张三)."""

    serializer_class = PersonSerializer
    permission_classes = [RegionalReadOfficeWrite]

    def get_queryset(self):
        people = Person.objects.visible_to(self.request.user).select_related("region")
        return person_search(people, self.request.query_params.get("q", ""))

    def perform_update(self, serializer):
        if not can_manage_region(self.request.user, serializer.instance.region):
            raise PermissionDenied("该代表不在您的管理范围")
        serializer.save()


class MandateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mandate
        fields = [
            "id",
            "person",
            "level",
            "term",
            "term_label",
            "constituency",
            "electoral_unit",
            "elected_on",
            "ended_on",
            "end_reason",
            "reelected",
        ]
        read_only_fields = ["ended_on", "end_reason"]

    def validate_person(self, person):
        user = self.context["request"].user
        if not Person.objects.visible_to(user).filter(
            pk=person.pk
        ).exists() or not can_manage_region(user, person.region):
            raise serializers.ValidationError("该代表不在您的管理范围")
        return person

    def create(self, validated_data):
        try:
            return services.mandate_add(
                mandate=Mandate(**validated_data), actor=self.context["request"].user
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from None


class MandateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MandateSerializer
    permission_classes = [RegionalReadOfficeWrite]

    def get_queryset(self):
        mandates = Mandate.objects.visible_to(self.request.user)
        person = self.request.query_params.get("person")
        if person := as_id(person):
            mandates = mandates.filter(person_id=person)
        return mandates


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupMembership
        fields = ["person", "role"]


class GroupSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "kind",
            "name",
            "region",
            "topic",
            "survey_topic",
            "liaison_name",
            "memberships",
        ]

    def validate_region(self, region):
        if not can_manage_region(self.context["request"].user, region):
            raise serializers.ValidationError("该区划不在您的管理范围")
        return region


class GroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = GroupSerializer
    permission_classes = [RegionalReadOfficeWrite]

    def get_queryset(self):
        return Group.objects.visible_to(self.request.user).prefetch_related("memberships")

    def perform_create(self, serializer):
        serializer.instance = services.group_save(
            group=Group(**serializer.validated_data), actor=self.request.user
        )

    def perform_update(self, serializer):
        if not can_manage_region(self.request.user, serializer.instance.region):
            raise PermissionDenied("该小组不在您的管理范围")
        for field, value in serializer.validated_data.items():
            setattr(serializer.instance, field, value)
        services.group_save(group=serializer.instance, actor=self.request.user)


class StationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Station
        fields = [
            "id",
            "kind",
            "name",
            "region",
            "address",
            "phone",
            "opened_on",
            "equipment",
            "rules",
            "resident_deputies",
            "active",
        ]

    def validate_region(self, region):
        if not can_manage_region(self.context["request"].user, region):
            raise serializers.ValidationError("该区划不在您的管理范围")
        return region

    def validate_resident_deputies(self, people):
        visible = Person.objects.visible_to(self.context["request"].user).filter(
            pk__in=[p.pk for p in people]
        )
        if set(people) - set(visible):
            raise serializers.ValidationError("有代表不在您的管理范围")
        return people

    def save(self, **kwargs):
        data = dict(self.validated_data)
        residents = data.pop("resident_deputies", None)
        station = self.instance or Station()
        for field, value in data.items():
            setattr(station, field, value)
        try:
            self.instance = station_save(
                station=station, actor=self.context["request"].user, resident_deputies=residents
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from None
        return self.instance


class StationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StationSerializer
    permission_classes = [RegionalReadOfficeWrite]

    def get_queryset(self):
        return Station.objects.visible_to(self.request.user).prefetch_related("resident_deputies")

    def perform_update(self, serializer):
        if not can_manage_region(self.request.user, serializer.instance.region):
            raise PermissionDenied("该联络站不在您的管理范围")
        serializer.save()
