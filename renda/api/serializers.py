"""Serializers for the shape every error response takes, for the schema."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="机器可读的错误代码，如 invalid、not_found、permission_denied"
    )
    message = serializers.CharField(help_text="中文错误说明")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="字段 → 错误说明（仅校验错误）",
    )
