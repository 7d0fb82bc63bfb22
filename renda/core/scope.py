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

from django.db import models
from django.db.models import Q


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
        from renda.core.models import Region, Role

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
            subtree = Region.objects.filter(code__startswith=region.code).values("pk")
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
