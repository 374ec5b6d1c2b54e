"""Template context every page needs: the club's name and which menu section is open."""

from django.conf import settings


def club(request):
    first = request.path.strip("/").split("/", 1)[0] if hasattr(request, "path") else ""
    return {"club_name": settings.CLUB_NAME, "nav_section": first}
