"""One error format for the whole API: {"code", "message", "errors"}.

`code` is a stable machine code, `message` a Chinese sentence a person can
read, `errors` (validation only) maps each field to its messages.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    "not_authenticated": "请先登录",
    "authentication_failed": "登录凭据无效",
    "permission_denied": "没有权限执行此操作",
    "not_found": "记录不存在或无权查看",
    "method_not_allowed": "不支持该请求方法",
    "throttled": "请求过于频繁，请稍后再试",
    "parse_error": "请求内容格式有误",
    "unsupported_media_type": "不支持的内容类型",
}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        first = next(iter(detail.values()), [""])
        first_text = first[0] if isinstance(first, list) and first else str(first)
        body = {"code": "invalid", "message": f"提交的内容有误：{first_text}", "errors": detail}
        return Response(body, status=status.HTTP_400_BAD_REQUEST, headers=response.headers)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
    message = MESSAGES.get(code, str(exc.detail))
    if (
        code == "permission_denied"
        and str(exc.detail) != exceptions.PermissionDenied.default_detail
    ):
        message = str(exc.detail)
    response.data = {"code": code, "message": message}
    return response


def as_drf_error(error):
    """A Django ValidationError from a service as a DRF one, fields kept."""
    return serializers.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else error.messages
    )


def form_data(data):
    """A request's input as a Django form reads a posted form. Multipart and
    urlencoded input already is one; a JSON object becomes one: each value a
    text (a number 3 is "3", true is "True", null is empty), a list a field's
    several values, as a repeated field would be. A body that is not an
    object, or an object or nested list where a value belongs, is refused
    naming the field: the pages' fields read texts and would fail on them."""
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, Mapping):
        raise serializers.ValidationError({"non_field_errors": ["请求内容应为一个 JSON 对象"]})
    posted = QueryDict(mutable=True)
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(one, dict | list) for one in values):
            message = f"“{name}”应为文字或数字（可多选的填列表）"
            raise serializers.ValidationError({name: [message]})
        posted.setlist(name, ["" if one is None else str(one) for one in values])
    return posted


def form_errors(form) -> dict:
    """A Django form's errors in the API's `errors` shape."""
    return {
        ("non_field_errors" if name == "__all__" else name): list(messages)
        for name, messages in form.errors.items()
    }


def call_service(service, **kwargs):
    """Run a service; its refusal (see renda.core.forms.SERVICE_ERRORS)
    becomes a 400 in the API's error format, fields kept."""
    from renda.core.forms import SERVICE_ERRORS

    try:
        return service(**kwargs)
    except SERVICE_ERRORS as error:
        if isinstance(error, ValidationError):
            raise as_drf_error(error) from None
        raise serializers.ValidationError({"non_field_errors": [str(error)]}) from None
