"""A member's record (/members/<pk>/) and her certificate of participation (.pdf, .docx)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from kernel.downloads import DOCX, PDF, Validators, download_response, not_modified, validated
from kernel.pagecache import cached_public_page
from members.models import Member

from ..certificates import certificate_docx, certificate_issue, certificate_pdf
from ..record import member_record, record_member

# Who may have the certificate of a member the public does not know of (admitted only by
# draft minutes): staff who may issue certificates (kernel.roles: the secretary).
ISSUE_ANY_PERMISSION = "chronicle.add_certificate"


@require_safe
@cached_public_page
def member_detail(request, pk):
    record = member_record(record_member(pk, request.user))
    return render(request, "chronicle/record/member.html", {"record": record})


def _certificate(request, pk, render_file, suffix: str, content_type: str) -> HttpResponse:
    member = record_member(pk, request.user)  # the public's 404 for a member not public
    if (
        request.user.is_staff
        and not request.user.has_perm(ISSUE_ANY_PERMISSION)
        and not Member.objects.public().filter(pk=member.pk).exists()
    ):
        raise PermissionDenied
    record = member_record(member)
    certificate = certificate_issue(record=record, user=request.user)
    content, key = render_file(record, certificate)
    validators = Validators(etag=f'"{key}"')
    response = not_modified(request, validators) or download_response(
        content,
        filename=f"spravka-{certificate.year}-{certificate.number}{suffix}",
        content_type=content_type,
    )
    response = validated(response, validators)
    # A personal document with its register number: never kept by a shared cache.
    patch_cache_control(response, private=True)
    return response


@require_safe
def certificate_pdf_view(request, pk):
    return _certificate(request, pk, certificate_pdf, ".pdf", PDF)


@require_safe
def certificate_docx_view(request, pk):
    return _certificate(request, pk, certificate_docx, ".docx", DOCX)
