"""The permissions each role's group holds (DESIGN.md section 4).

Object scope (which districts) is applied on top of these in the admin and the views.
"""

from collections.abc import Mapping

from core import roles

VIEW = ("view",)
EDIT = ("view", "change")
MAINTAIN = ("view", "add", "change", "delete")

PLAN_MODELS = (
    "plan",
    "planissue",
    "initiative",
    "roleassignment",
    "indicator",
    "indicatorresult",
    "review",
    "reviewrating",
    "meeting",
    "decision",
    "actionitem",
    "meetingattachment",
)

SUBSIDY_SETUP_MODELS = (
    "program",
    "legacysubsidy",
    "programyear",
    "formulacomponent",
    "unitcount",
    "expensecategory",
)

# Applications change only through the workflow's services; the admin shows them read-only.
APPLICATION_MODELS = (
    "application",
    "applicationversion",
    "planrow",
    "budgetline",
    "attachment",
    "payment",
    "report",
    "reportline",
    "reportindicator",
    "applicationevent",
)

# Grant staff read every district's records; the grant screens come with their own rights.
CITY_WIDE_READ = {
    "districts.district": VIEW,
    "districts.council": VIEW,
    "districts.districtstatistic": VIEW,
    "districts.liaisonassignment": VIEW,
    "organizations.organization": VIEW,
    "organizations.membership": VIEW,
    "organizations.officer": VIEW,
    **{f"plans.{model}": VIEW for model in PLAN_MODELS},
}

# What a grant role that decides rather than keeps the records reads in the admin: every
# district's records, the program's set-up and allocations, the applications. The approvers hold
# it, and a further deciding role declared in subsidies.policy.ROLES may name it.
GRANT_STAFF_READ = {
    **CITY_WIDE_READ,
    **{f"subsidies.{model}": VIEW for model in SUBSIDY_SETUP_MODELS},
    "subsidies.allocation": VIEW,
    "subsidies.allocationcomponent": VIEW,
    **{f"subsidies.{model}": VIEW for model in APPLICATION_MODELS},
}

ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    roles.COORDINATORS: {
        "districts.council": EDIT,
    },
    roles.LIAISON: {
        "districts.district": EDIT,
        "districts.council": EDIT,
        "districts.districtstatistic": MAINTAIN,
        "districts.liaisonassignment": VIEW,
        "organizations.organization": ("view", "add", "change"),
        "organizations.membership": MAINTAIN,
        "organizations.officer": MAINTAIN,
        "organizations.field": VIEW,
        # Liaison officers record their districts' plans and meetings.
        **{f"plans.{model}": MAINTAIN for model in PLAN_MODELS},
        # … and read their districts' grant applications.
        **{f"subsidies.{model}": VIEW for model in APPLICATION_MODELS},
    },
    # Grant officers set the program's years up and keep the allocations; approvers read them.
    roles.GRANT_OFFICERS: {
        **CITY_WIDE_READ,
        **{f"subsidies.{model}": MAINTAIN for model in SUBSIDY_SETUP_MODELS},
        "subsidies.allocation": EDIT,
        "subsidies.allocationcomponent": VIEW,
        **{f"subsidies.{model}": VIEW for model in APPLICATION_MODELS},
    },
    roles.GRANT_APPROVERS: GRANT_STAFF_READ,
}


def sync_role_groups(apps) -> None:
    """Create the role groups and give them exactly the permissions above (for these models)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    give_permissions(apps, ROLE_PERMISSIONS)


def give_permissions(apps, groups: Mapping[str, Mapping[str, tuple[str, ...]]]) -> None:
    """Create each group if missing and add it the permissions named, of those that exist."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, grants in groups.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for label, actions in grants.items():
            app_label, model = label.split(".")
            perms = Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
            group.permissions.add(*perms)
