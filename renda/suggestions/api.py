"""Suggestions endpoints: the deputy's app (/api/suggestions/: submit, list
mine, read with the timeline, evaluate the latest reply) and the handling
unit's workspace (/api/unit/suggestions/: list assigned, sign, return with a
reason, reply). Every move calls renda.suggestions.services; their refusals
come back in the project's one error format."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from renda.api.errors import call_service
from renda.core.models import Body, Role, Session
from renda.core.permissions import UNITS, has_role
from renda.core.workflow import timeline
from renda.deputies.models import Person
from renda.suggestions import services
from renda.suggestions.forms_workspace import DraftForm
from renda.suggestions.models import (
    Assignment,
    AuthorRole,
    Authorship,
    Category,
    Deadline,
    Evaluation,
    Kind,
    Occasion,
    Rating,
    Reply,
    Suggestion,
    UnitRole,
)
from renda.suggestions.reply_classes import SchemeBook, label_replies
from renda.suggestions.selectors import my_items, unit_items


def register(router) -> None:
    """Called by renda/api/urls.py: route this app's viewsets."""
    router.register("suggestions", DeputySuggestionViewSet, basename="suggestion")
    router.register("unit/suggestions", UnitSuggestionViewSet, basename="unit-suggestion")


class IsDeputy(permissions.BasePermission):
    message = "只有人大代表可以使用此接口"

    def has_permission(self, request, view):
        user = request.user
        return has_role(user, {Role.DEPUTY}) and getattr(user, "deputy", None) is not None


class IsUnit(permissions.BasePermission):
    message = "只有承办单位可以使用此接口"

    def has_permission(self, request, view):
        return has_role(request.user, UNITS) and bool(request.user.unit_id)


# --- read serializers ------------------------------------------------------------------


# Choice fields are plain strings here: their names (role, kind, status)
# collide with other apps' enums in the schema; the labels travel alongside.
ROLE_HELP = "lead 领衔 / co 附议"


class AuthorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    role = serializers.CharField(read_only=True, help_text=ROLE_HELP)

    class Meta:
        model = Authorship
        fields = ["person", "name", "role"]


class ReplySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reply_class = serializers.CharField(read_only=True, help_text="存储代码 A、B、C、D")
    reply_class_label = serializers.SerializerMethodField(
        help_text="按答复日期当地施行的答复分类书写的类别，如“甲类”"
    )

    class Meta:
        model = Reply
        fields = [
            "id",
            "round",
            "reply_class",
            "reply_class_label",
            "text",
            "commitment",
            "signed_by",
            "replied_on",
            "unit_name",
        ]

    def get_reply_class_label(self, reply) -> str:
        # Lists label every reply from one read (LabelledItems); a single
        # reply reads its scheme here.
        if not hasattr(reply, "class_label"):
            label_replies([reply])
        return reply.class_label


class LabelledItems(serializers.ListSerializer):
    """A page of items whose replies' class labels are read in one query."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        book = SchemeBook(item.region for item in items)
        for item in items:
            label_replies(item.replies.all(), region=item.region, book=book)
        return super().to_representation(items)


class TimelineEntrySerializer(serializers.Serializer):
    event = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    from_label = serializers.CharField()
    to_label = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    comment = serializers.CharField()


class SuggestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="motion 议案 / suggestion 建议")
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    authors = AuthorSerializer(source="authorships", many=True, read_only=True)
    replies = ReplySerializer(many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "title",
            "body",
            "kind",
            "occasion",
            "congress",
            "session",
            "category",
            "status",
            "status_label",
            "submitted_at",
            "merged_into",
            "reply_class",
            "authors",
            "replies",
        ]
        read_only_fields = fields
        list_serializer_class = LabelledItems


class SuggestionDetailSerializer(SuggestionSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(SuggestionSerializer.Meta):
        fields = [*SuggestionSerializer.Meta.fields, "timeline"]
        read_only_fields = fields

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, item):
        return TimelineEntrySerializer(timeline(item), many=True).data


# --- the deputy's app --------------------------------------------------------------------


class SuggestionCreateSerializer(serializers.Serializer):
    """A deputy's suggestion, checked by the same form as the phone page."""

    congress = serializers.PrimaryKeyRelatedField(queryset=Body.objects.all())
    occasion = serializers.ChoiceField(choices=Occasion.choices)
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(), required=False, allow_null=True
    )
    kind = serializers.CharField(
        default=Kind.SUGGESTION, help_text="motion 议案 / suggestion 建议（默认）"
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=120)
    body = serializers.CharField()
    co_signers = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False
    )
    submit = serializers.BooleanField(default=True, help_text="false 时只保存草稿；默认保存并提交")

    def validate(self, attrs):
        form = DraftForm(
            data={
                "congress": attrs["congress"].pk,
                "occasion": attrs["occasion"],
                "session": attrs["session"].pk if attrs.get("session") else "",
                "kind": attrs["kind"],
                "category": attrs["category"].pk if attrs.get("category") else "",
                "title": attrs["title"],
                "body": attrs["body"],
                "co_signers": [person.pk for person in attrs.get("co_signers", [])],
            },
            person=self.context["person"],
        )
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    "non_field_errors" if field == "__all__" else field: list(messages)
                    for field, messages in form.errors.items()
                }
            )
        return {**form.cleaned_data, "submit": attrs["submit"]}

    def create(self, validated_data):
        request, person = self.context["request"], self.context["person"]
        with transaction.atomic():
            item = call_service(
                services.suggestion_draft,
                entered_by=request.user,
                congress=validated_data["congress"],
                occasion=validated_data["occasion"],
                session=validated_data["session"],
                kind=validated_data["kind"],
                category=validated_data["category"],
                title=validated_data["title"],
                body=validated_data["body"],
                lead=person,
                co_signers=validated_data["co_signers"],
            )
            if validated_data["submit"]:
                call_service(services.suggestion_submit, suggestion=item, actor=request.user)
        return item


class EvaluationWriteSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "reply", "rating", "comment", "evaluated_at"]


class DeputySuggestionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The deputy's own items: authored or co-signed, drafts included."""

    permission_classes = [IsDeputy]
    queryset = Suggestion.objects.none()  # the schema's hint; rows come from get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Suggestion.objects.none()
        return (
            my_items(self.request.user, self.request.user.deputy)
            .select_related("region")
            .prefetch_related("authorships__person", "replies__unit")
            .order_by("-submitted_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return SuggestionCreateSerializer
        if self.action == "list":
            return SuggestionSerializer
        return SuggestionDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["person"] = getattr(self.request.user, "deputy", None)
        return context

    @extend_schema(responses={201: SuggestionDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = serializer.save()
        return Response(
            SuggestionDetailSerializer(item, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit one of the deputy's drafts (lead author only)."""
        item = self.get_object()
        if not item.authorships.filter(person=request.user.deputy, role=AuthorRole.LEAD).exists():
            raise PermissionDenied("只有领衔代表可以提交")
        call_service(services.suggestion_submit, suggestion=item, actor=request.user)
        return Response(SuggestionDetailSerializer(item, context={"request": request}).data)

    @extend_schema(request=EvaluationWriteSerializer, responses={201: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        """Rate the latest reply to this item (or to the item it was merged into)."""
        item = self.get_object()
        data = EvaluationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = item.merged_into or item
        reply = target.replies.order_by("-round").first()
        if reply is None:
            raise serializers.ValidationError(["尚无答复，不能评价"])
        evaluation = call_service(
            services.evaluation_record,
            reply=reply,
            person=request.user.deputy,
            actor=request.user,
            **data.validated_data,
        )
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


# --- the handling unit's workspace -----------------------------------------------------------


class PublicAuthorSerializer(serializers.ModelSerializer):
    """A deputy as a unit sees them: name and the phone they chose to publish."""

    name = serializers.CharField(source="person.name", read_only=True)
    public_phone = serializers.CharField(source="person.public_phone", read_only=True)
    role = serializers.CharField(read_only=True, help_text=ROLE_HELP)

    class Meta:
        model = Authorship
        fields = ["name", "public_phone", "role"]


class UnitAssignmentSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True, help_text="lead 主办 / co 协办")

    class Meta:
        model = Assignment
        fields = ["id", "role", "assigned_at", "signed_at", "co_opinion", "active"]


class UnitDeadlineSerializer(serializers.ModelSerializer):
    rule_source = serializers.CharField(source="rule.source", read_only=True, allow_null=True)

    class Meta:
        model = Deadline
        fields = ["id", "kind", "due_on", "state", "explanation", "rule_source"]


class UnitSuggestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="motion 议案 / suggestion 建议")
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    next_due = serializers.DateField(read_only=True, allow_null=True)
    authors = PublicAuthorSerializer(source="authorships", many=True, read_only=True)
    assignments = UnitAssignmentSerializer(source="my_assignments", many=True, read_only=True)
    deadlines = UnitDeadlineSerializer(source="my_deadlines", many=True, read_only=True)
    replies = ReplySerializer(many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "title",
            "body",
            "kind",
            "occasion",
            "congress_name",
            "category_name",
            "status",
            "status_label",
            "next_due",
            "authors",
            "assignments",
            "deadlines",
            "replies",
        ]
        read_only_fields = fields
        list_serializer_class = LabelledItems


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReplyWriteSerializer(serializers.Serializer):
    # Checked by the service against the scheme in force for the item's
    # region on `replied_on` (renda.suggestions.reply_classes).
    reply_class = serializers.CharField(
        max_length=2, help_text="答复类别代码，须属于答复日期当地施行的答复分类，如 A"
    )
    text = serializers.CharField()
    commitment = serializers.CharField(required=False, allow_blank=True, default="")
    signed_by = serializers.CharField(max_length=30)
    replied_on = serializers.DateField()


class UnitSuggestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Items assigned to the user's own unit, what is due next first. Any
    other item is 404."""

    serializer_class = UnitSuggestionSerializer
    permission_classes = [IsUnit]
    queryset = Suggestion.objects.none()  # the schema's hint; rows come from get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Suggestion.objects.none()
        return (
            unit_items(self.request.user, self.request.user.unit_id)
            .select_related("region")
            .prefetch_related("authorships__person", "replies__unit")
        )

    def _mine(self, item, **conditions) -> Assignment:
        return item.assignments.filter(
            unit_id=self.request.user.unit_id, active=True, **conditions
        ).first()

    @extend_schema(request=None, responses=UnitAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        item = self.get_object()
        assignment = self._mine(item, signed_at__isnull=True)
        if assignment is None:
            raise serializers.ValidationError(["本单位没有待签收的交办"])
        call_service(services.assignment_sign, assignment=assignment, actor=request.user)
        return Response(UnitAssignmentSerializer(assignment).data)

    @extend_schema(request=ReturnSerializer, responses=UnitAssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return a misassigned item with the reason, within the rule's window."""
        item = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = self._mine(item, role=UnitRole.LEAD)
        if assignment is None:
            raise PermissionDenied("只有主办单位可以退回交办")
        call_service(
            services.assignment_return,
            assignment=assignment,
            actor=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(UnitAssignmentSerializer(assignment).data)

    @extend_schema(request=ReplyWriteSerializer, responses={201: ReplySerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """The lead unit's formal reply, signed by its head."""
        item = self.get_object()
        data = ReplyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = self._mine(item, role=UnitRole.LEAD)
        if assignment is None:
            raise PermissionDenied("只有主办单位可以答复")
        reply = call_service(
            services.reply_submit,
            suggestion=item,
            unit=assignment.unit,
            actor=request.user,
            **data.validated_data,
        )
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)
