from django.conf import settings
from django.utils import translation


def site(request):
    """The city's name and contact, in the language of the page."""
    english = translation.get_language() == "en"
    return {
        "city_name": settings.CITY_NAME_EN if english else settings.CITY_NAME,
        "city_department": settings.CITY_DEPARTMENT_EN if english else settings.CITY_DEPARTMENT,
        "city_contact_phone": settings.CITY_CONTACT_PHONE,
        "city_contact_email": settings.CITY_CONTACT_EMAIL,
    }
