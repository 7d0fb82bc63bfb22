"""Reading a page's form as a browser would submit it (the locust users and
the plan's test fill forms this way)."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    """Every POST form of a page: its named fields with their current values,
    and each select's options."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"fields": {}, "options": {}, "action": attrs.get("action")}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self._form["fields"][name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self._form["options"][name] = []
            self._form["fields"].setdefault(name, "")
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            self._form["options"][self._select].append(value)
            if "selected" in attrs:
                self._form["fields"][self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"][name] = ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def main_form(html: str) -> dict:
    """The page's own form: the POST form with the most fields (the layout's
    sign-out and language forms have one or two)."""
    parser = _Forms()
    parser.feed(html)
    if not parser.forms:
        return {"fields": {}, "options": {}}
    form = max(parser.forms, key=lambda f: len(f["fields"]))
    for name, options in form["options"].items():
        if not form["fields"].get(name):
            chosen = [o for o in options if o]
            form["fields"][name] = chosen[0] if chosen else ""
    return form


def solve(question: str) -> int:
    """The answer to the arithmetic captcha, read as a person would."""
    a, op, b = question.rstrip("等于几？").split()
    return int(a) + int(b) if op == "加" else int(a) - int(b)
