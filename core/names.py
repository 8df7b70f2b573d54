"""How a person's name is shown: family name first, as Japanese readers expect (「佐藤 美咲」).

Every page, history table, e-mail and admin screen shows people through `person_name`; Django's
`get_full_name` puts the given name first and is not used for display.
"""

from django.utils.translation import pgettext


def person_name(user) -> str:
    """「佐藤 美咲」 from the user's family (last_name) and given (first_name) names.

    Either part alone is shown alone; an account with neither is shown by its user name; no
    user (an entry the system wrote, or an account since deleted) is 「—」.
    """
    if user is None:
        return "—"
    family = (getattr(user, "last_name", "") or "").strip()
    given = (getattr(user, "first_name", "") or "").strip()
    name = " ".join(part for part in (family, given) if part)
    return name or user.get_username()


def person_name_with_honorific(user) -> str:
    """「佐藤 美咲さん」 in Japanese; the name alone in English."""
    return pgettext("a person's name with the honorific", "%(name)s") % {"name": person_name(user)}
