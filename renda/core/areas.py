"""The county (县、市、区) a list is narrowed to on a province's or a city's
server.

A county office's lists offer its own townships, sessions, units, groups
and stations as filter choices: tens of options. For a province's staff
the same selects would hold every county's — thousands of townships, ten
thousand sessions — and every page would carry them. So a user whose region
is above county level first picks a county (`?area=<division code>`); the
list and its region-bound choices are then narrowed to it, and until one is
picked those choices are held back (the list itself still covers the whole
province). County staff and below see no area select at all.
"""

from dataclasses import dataclass, field

from renda.core.models import CODE_LENGTH, Region, RegionLevel
from renda.core.params import as_id

PARAM = "area"


@dataclass(frozen=True)
class Area:
    chosen: Region | None = None
    options: list = field(default_factory=list)  # counties to pick from; [] = no select

    @property
    def waiting(self) -> bool:
        """Whether region-bound choices are held back until a county is picked."""
        return bool(self.options) and self.chosen is None

    def narrow(self, queryset, path: str | None = None):
        """Rows of the chosen county, all of them when none is chosen. `path`
        leads to the rows' region where the queryset is not region-scoped
        (a RegionScopedQuerySet knows its own)."""
        if self.chosen is None:
            return queryset
        if path is None:
            return queryset.within(self.chosen)
        return queryset.filter(**{f"{path}__code__startswith": self.chosen.code})

    def choices(self, queryset, path: str | None = None):
        """The options of a region-bound select: the chosen county's, and
        none while a province's user has not picked one."""
        return queryset.none() if self.waiting else self.narrow(queryset, path)

    def around(self, region: Region) -> "Area":
        """This area, or, when no county is picked yet, the county of
        `region` (a page about one record opens on its county)."""
        if not self.waiting:
            return self
        county = next((c for c in self.options if region.code.startswith(c.code)), None)
        return Area(county, self.options)

    def around_row(self, queryset, pk) -> "Area":
        """`around` the region of the row of `queryset` with this pk (a link
        naming a deputy opens on the deputy's county); this area when no
        county is awaited or there is no such row."""
        if not self.waiting or not (pk := as_id(pk)):
            return self
        row = queryset.filter(pk=pk).select_related("region").first()
        return self.around(row.region) if row is not None else self

    def offer(self, field, path: str | None = None):
        """Show only the area's choices in a ModelChoiceField's select while
        it still accepts any value of its own queryset (a link naming a
        township keeps working without its county); returns what it shows,
        for pages that write their selects by hand."""
        return _show(field, self.choices(field.queryset, path))

    def offer_places(self, field):
        """`offer` for a select of regions where a record may be a county's
        own (an evaluation round, a routing rule): the counties always, the
        townships of the picked county."""
        counties = field.queryset.filter(level=RegionLevel.COUNTY)
        return _show(field, self.choices(field.queryset) | counties)


def _show(field, queryset):
    """Set the options a field's select shows, not the queryset it accepts.
    The options still read the field itself for the rest (its empty label,
    its labels), so a form may set those after offering."""
    options = field.iterator(field)
    options.queryset = queryset.all()
    field.widget.choices = options
    return options.queryset


def area_of(request) -> Area:
    """The area of this request's list for its user (see the module)."""
    user = request.user
    region = user.region if user.region_id else None
    if region is None and not user.is_superuser:
        return Area()
    if region is not None and len(region.code) >= CODE_LENGTH[RegionLevel.COUNTY]:
        return Area()
    counties = Region.objects.visible_to(user).filter(level=RegionLevel.COUNTY)
    options = list(counties.select_related("parent").order_by("code"))
    if len(options) <= 1:
        return Area()
    key = request.GET.get(PARAM, "")
    return Area(next((r for r in options if r.code == key), None), options)


def within_places(queryset, filters: dict, path: str = "region"):
    """Rows under the county (`area`) and the township a list's GET filters
    name by division code (what is not a code is ignored): the list, its
    print and its export narrow the same way."""
    for name in (PARAM, "township"):
        code = filters.get(name) or ""
        if code.isdigit():
            queryset = queryset.filter(**{f"{path}__code__startswith": code})
    return queryset


def breakdown_length(region: Region | None) -> int:
    """The division-code length a figure breaks `region` down by, one level
    below it: counties for a province or a city (6), townships for a county
    or a township (9). `Substr(<region code>, 1, n)` groups rows by it; a row
    of the region itself keeps its own shorter code (its 本级 line)."""
    county = CODE_LENGTH[RegionLevel.COUNTY]
    if region is None or len(region.code) < county:
        return county
    return CODE_LENGTH[RegionLevel.TOWNSHIP]


OWN_LINE = "（本级）"


def place_labels(codes, length: int) -> dict[str, str]:
    """{code: name} in code order of a figure's place groups, in one query;
    a region whose code is shorter than `length` is the scope's own line
    (本级)."""
    regions = Region.objects.filter(code__in=list(codes)).only("code", "name").order_by("code")
    return {r.code: r.name + (OWN_LINE if len(r.code) < length else "") for r in regions}


def in_place_group(records, group: str, length: int, path: str = "region__code"):
    """Records of one place group of a figure: everything under a code of the
    breakdown's `length`, or exactly the region of a shorter code (its 本级
    line). ValueError for a code that cannot be a group."""
    if not group.isdigit() or len(group) > length:
        raise ValueError(group)
    if len(group) < length:
        return records.filter(**{path: group})
    return records.filter(**{f"{path}__startswith": group})
