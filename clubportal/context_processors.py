"""Template context every page needs: the club's name."""

from django.conf import settings


def club(request):
    return {"club_name": settings.CLUB_NAME}
