"""Core endpoints: who am I, places, bodies, sessions, units, rules (read-only
for signed-in roles within scope; changes go through the office pages)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view
from rest_framework.response import Response

from renda.core.models import Body, Region, Rule, Session, Unit, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]


class SessionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    body = serializers.IntegerField(source="term.body_id", read_only=True)
    term_number = serializers.IntegerField(source="term.number", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "label",
            "body",
            "term_number",
            "number",
            "kind",
            "opened_on",
            "closed_on",
            "place",
            "status",
        ]


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "name", "kind", "region", "parent", "members_planned"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
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


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rule
        fields = [
            "id",
            "key",
            "region",
            "value",
            "effective_from",
            "effective_to",
            "source",
            "note",
        ]


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "region", "unit"]


class TokenRequestSerializer(AuthTokenSerializer):
    """A user name no longer than an account's: a longer one was tried
    against the accounts and recorded as a failed sign-in (django-axes),
    whose column it overflowed on PostgreSQL."""

    username = serializers.CharField(
        label="用户名", write_only=True, max_length=User._meta.get_field("username").max_length
    )


class TokenView(ObtainAuthToken):
    serializer_class = TokenRequestSerializer


@extend_schema(responses=MeSerializer, summary="当前登录用户")
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user)


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BodySerializer

    def get_queryset(self):
        return Body.objects.visible_to(self.request.user)


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionSerializer

    def get_queryset(self):
        return Session.objects.filter(
            term__body__in=Body.objects.visible_to(self.request.user)
        ).select_related("term")


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user)


class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RuleSerializer

    def get_queryset(self):
        return Rule.objects.visible_to(self.request.user)
