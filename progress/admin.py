"""Admin for instructors: progress to look at, certificates to revoke (docs/progress.md).

Both are records the application writes; nobody adds, edits or deletes them by hand.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Certificate, LessonProgress
from .services import reinstate_certificate, revoke_certificate


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    """Learners' progress, to look at: the application alone writes it."""

    list_display = ("user", "lesson", "read_at", "completed_at")
    list_filter = ("lesson__course", ("completed_at", admin.EmptyFieldListFilter))
    list_select_related = ("user", "lesson__chapter", "lesson__course")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    date_hierarchy = "read_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept for instructors; the public page only says the certificate was "
                    "revoked, and when."),
    )


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates as issued; an instructor can revoke one (or undo a revocation)."""

    list_display = ("code", "learner_name", "course", "completed_at", "status")
    list_filter = ("course", ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("course",)
    search_fields = ("code", "learner_name", "user__username", "user__email")
    readonly_fields = ("code", "user", "course", "learner_name", "study_minutes", "completed_at",
                       "issued_at", "revoked_at", "revoked_reason", "public_page")
    fieldsets = (
        (None, {"fields": ("code", "public_page", "user", "course", "learner_name")}),
        (_("Dates"), {"fields": ("completed_at", "issued_at", "study_minutes")}),
        (_("Revocation"), {"fields": ("revoked_at", "revoked_reason")}),
    )
    actions = ["revoke", "reinstate"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("status"), ordering="revoked_at")
    def status(self, certificate: Certificate) -> str:
        return _("revoked") if certificate.is_revoked else _("valid")

    @admin.display(description=_("public page"))
    def public_page(self, certificate: Certificate) -> str:
        url = certificate.get_absolute_url()
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.action(description=_("Revoke the selected certificates"), permissions=["change"])
    def revoke(self, request, queryset):
        """Ask for a reason, then revoke: the public page says so at once."""
        form = RevokeForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            count = 0
            for certificate in queryset.filter(revoked_at__isnull=True):
                revoke_certificate(certificate=certificate, reason=form.cleaned_data["reason"])
                count += 1
            self.message_user(request, ngettext(
                "%(count)d certificate revoked.", "%(count)d certificates revoked.", count
            ) % {"count": count}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke certificates"),
            "opts": self.model._meta,
            "certificates": queryset.select_related("course"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/progress/certificate/revoke.html", context)

    @admin.action(description=_("Undo the revocation of the selected certificates"),
                  permissions=["change"])
    def reinstate(self, request, queryset):
        for certificate in queryset.filter(revoked_at__isnull=False):
            reinstate_certificate(certificate=certificate)
        self.message_user(request, _("The selected certificates are valid again."),
                          messages.SUCCESS)
