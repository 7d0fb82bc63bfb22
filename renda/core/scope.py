"""Who may read what: the one place where a user's scope becomes a query.

Every model whose rows belong to a place gets a queryset built on
`RegionScopedQuerySet`, declares how to reach its region (and, where units
handle it, its unit), and every view and API endpoint reads through
`Model.objects.visible_to(user)`. Views never filter by scope by hand.

The rules:
- county staff, township staff, deputies and liaison officers see rows of
  their own region and everything below it (a township never sees another
  township); where `include_ancestors` is set they also see rows of the
  regions above them (a township sees the county's departments);
- a handling-unit account sees only rows of its own unit;
- the public and anonymous visitors see nothing here; public pages read
  published, de-identified data through their own selectors;
- a superuser sees everything.
"""

from django.db import connections, models
from django.db.models import F, Q, Subquery

from renda.core.search import InArray


class RegionScopedQuerySet(models.QuerySet):
    # Path from the model to its Region foreign key; "" when the model is Region.
    region_path: str = "region"
    # Also show rows of the regions above the user's region.
    include_ancestors: bool = False
    # Also show rows with no region at all (national rules).
    include_national: bool = False
    # Path to the Unit for unit accounts; "" when the model is Unit; None when
    # unit accounts see none of these rows.
    unit_path: str | None = None

    def visible_to(self, user):
        # Imported here: models import this module.
        from renda.core.models import CODE_LENGTH, Region, RegionLevel, Role

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role == Role.UNIT:
            if self.unit_path is None or not user.unit_id:
                return self.none()
            return self.filter(**{self.unit_path or "pk": user.unit_id})
        if user.role == Role.PUBLIC or not user.region_id:
            return self.none()

        region = user.region
        if self.region_path:
            subtree = Region.objects.filter(code__startswith=region.code).order_by().values("pk")
            # A county or below (the length `area_of` tells counties by).
            small = len(region.code) >= CODE_LENGTH[RegionLevel.COUNTY]
            if small and connections[self.db].vendor == "postgresql":
                # For `IN (SELECT …)` PostgreSQL plans a hash semi-join, which
                # reads every row of the table: the roster count of one county
                # read all 100,000 deputies of the province. As an array the
                # ids are looked up in the region index, so the cost follows
                # the county's rows (a county's opinion counts 2-3 ms -> 0.5
                # ms at 20 counties, and the gap grows with the province).
                # For a province or a city the subtree is most of the table
                # and the semi-join is the better plan (a newest-first page
                # walks the date index and stops at 50 rows): they keep `IN`.
                condition = Q(InArray(F(self.region_path), Subquery(subtree)))
            else:
                condition = Q(**{f"{self.region_path}__in": subtree})
            if self.include_ancestors:
                above = region.ancestor_codes()[1:]
                condition |= Q(**{f"{self.region_path}__code__in": above})
            if self.include_national:
                condition |= Q(**{f"{self.region_path}__isnull": True})
        else:
            condition = Q(code__startswith=region.code)
            if self.include_ancestors:
                condition |= Q(code__in=region.ancestor_codes()[1:])
        return self.filter(condition)

    def within(self, region):
        """Rows of `region` and everything below it (a narrowing inside what
        `visible_to` allowed, never a widening)."""
        if self.region_path:
            return self.filter(**{f"{self.region_path}__code__startswith": region.code})
        return self.filter(code__startswith=region.code)
