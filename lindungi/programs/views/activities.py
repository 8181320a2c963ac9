"""Activity and event pages: list, record, edit, participants, countries, agenda, speakers,
outputs, files, attendance lists and registrations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.core import policy
from lindungi.programs import selectors, services
from lindungi.programs.forms import (
    ActivityFilterForm,
    ActivityForm,
    AttendanceForm,
    CountryFormSet,
    FileForm,
    OutputForm,
    ParticipantFormSet,
    RegistrationForm,
    SessionForm,
    SpeakerForm,
)
from lindungi.programs.models import (
    ActivityFile,
    ActivityOutput,
    AttendanceRecord,
    EventRegistration,
    EventSession,
    Program,
    Speaker,
)
from lindungi.programs.views._common import run

VIEW, EDIT, ATTENDANCE = "programs.program.view", "programs.activity.edit", "programs.attendance.view"

# Parts of an activity added with a small form on its page: slug -> (model, form).
PARTS = {"speaker": (Speaker, SpeakerForm), "session": (EventSession, SessionForm), "output": (ActivityOutput, OutputForm)}
# Parts that can be removed: slug -> (model, service, needs the attendance permission).
REMOVABLE = {
    "speaker": (Speaker, "part", False), "session": (EventSession, "part", False), "output": (ActivityOutput, "part", False),
    "file": (ActivityFile, "file", False), "attendance": (AttendanceRecord, "person", True),
    "registration": (EventRegistration, "person", True),
}


@login_required
def activity_list(request):
    policy.require(request.user, VIEW)
    form = ActivityFilterForm(request.GET or None)
    form.fields["program"].queryset = selectors.program_list(user=request.user)
    activities = selectors.activity_list(user=request.user, filters=form.filters() if request.GET else {})
    return render(request, "programs/activity_list.html", {
        "form": form, "activities": activities[:300], "count": activities.count(),
        "can_record": selectors.programs_for_recording(request.user).exists()
        or policy.allowed(request.user, EDIT, policy.Scope.ORGANISATION),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    policy.require(request.user, EDIT, policy.Scope.ORGANISATION)
    programs = selectors.programs_for_recording(request.user)
    initial = {}
    program_pk = request.GET.get("program", "")
    if program_pk.isdigit():
        initial["program"] = programs.filter(pk=int(program_pk)).first()
    form = ActivityForm(request.POST or None, programs=programs, initial=initial)
    if request.method == "POST" and form.is_valid() and not form.region_refresh_requested:
        activity = run(request, form, lambda: services.activity_create(actor=request.user, data=form.cleaned_data))
        if activity:
            messages.success(request, _("Activity recorded. Add its participants next."))
            return redirect("programs:participants", pk=activity.pk)
    return render(request, "programs/activity_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    policy.require(request.user, EDIT)
    activity = selectors.activity_get(user=request.user, pk=pk, action=EDIT)
    programs = selectors.programs_for_recording(request.user)
    if activity.program_id:
        # The lead organisation may edit an activity a partner recorded: keep its program choosable.
        programs = Program.objects.filter(Q(pk__in=programs.values("pk")) | Q(pk=activity.program_id))
    form = ActivityForm(request.POST or None, instance=activity, programs=programs)
    if request.method == "POST" and form.is_valid() and not form.region_refresh_requested:
        data = dict(form.cleaned_data)
        if data.get("program") and data["program"].pk == activity.program_id:
            data.pop("program")  # unchanged: no need to re-check that the user may record for it
        if run(request, form, lambda: services.activity_update(actor=request.user, activity=activity, data=data)):
            messages.success(request, _("Activity saved."))
            return redirect("programs:activity_detail", pk=activity.pk)
    return render(request, "programs/activity_form.html", {"form": form, "activity": activity})


@login_required
def activity_detail(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    can_edit = selectors.can_edit_activity(request.user, activity)
    can_attendance = selectors.can_see_attendance(request.user, activity)
    counts = activity.participant_counts.select_related("age_group", "stakeholder_group")
    context = {
        "activity": activity, "can_edit": can_edit, "can_attendance": can_attendance,
        "participants": counts, "participant_total": sum(c.count for c in counts),
        "reach": selectors.reach_summary(type(activity).objects.filter(pk=activity.pk)),
        "countries": activity.countries.select_related("country"),
        "sessions": activity.sessions.prefetch_related("speakers"),
        "speakers": activity.speakers.select_related("country", "session"),
        "outputs": activity.outputs.all(),
        "files": policy.scope_filter(request.user, VIEW, activity.files.all()), "results": activity.results.all(),
        "organisers": activity.organisers.all(), "partners": activity.partners.all(),
    }
    if can_edit:
        context["part_forms"] = {slug: form(activity=activity, prefix=slug) for slug, (_m, form) in PARTS.items()
                                 if slug != "session" or activity.type.is_event}
        if activity.organisation_id == request.user.organisation_id:
            context["file_form"] = FileForm()
    if can_attendance:
        context["attendance_count"] = activity.attendance.count()
        context["registration_count"] = activity.registrations.count() if activity.type.is_event else 0
    return render(request, "programs/activity_detail.html", context)


@login_required
@require_POST
def activity_delete(request, pk):
    policy.require(request.user, EDIT)
    activity = selectors.activity_get(user=request.user, pk=pk, action=EDIT)
    program = activity.program_id
    if run(request, None, lambda: services.activity_delete(actor=request.user, activity=activity)) is None:
        messages.success(request, _("Activity deleted."))
    return redirect("programs:detail", pk=program) if program else redirect("programs:activity_list")


@login_required
@require_http_methods(["GET", "POST"])
def participants(request, pk):
    policy.require(request.user, EDIT)
    activity = selectors.activity_get(user=request.user, pk=pk, action=EDIT)
    initial = [{"sex": c.sex, "age_group": c.age_group, "stakeholder_group": c.stakeholder_group, "count": c.count}
               for c in activity.participant_counts.select_related("age_group", "stakeholder_group")]
    formset = ParticipantFormSet(request.POST or None, initial=initial, prefix="p")
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.cleaned_data and f.cleaned_data.get("count")]
        if run(request, None, lambda: services.participants_set(actor=request.user, activity=activity, rows=rows)) is not None:
            messages.success(request, _("Participants saved."))
            return redirect("programs:activity_detail", pk=activity.pk)
    return render(request, "programs/participants_form.html", {"activity": activity, "formset": formset})


@login_required
@require_http_methods(["GET", "POST"])
def countries(request, pk):
    policy.require(request.user, EDIT)
    activity = selectors.activity_get(user=request.user, pk=pk, action=EDIT)
    initial = [{"country": c.country, "participants": c.participants} for c in activity.countries.select_related("country")]
    formset = CountryFormSet(request.POST or None, initial=initial, prefix="c")
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.cleaned_data and f.cleaned_data.get("country")]
        if run(request, None, lambda: services.countries_set(actor=request.user, activity=activity, rows=rows) or True):
            messages.success(request, _("Countries saved."))
            return redirect("programs:activity_detail", pk=activity.pk)
    return render(request, "programs/countries_form.html", {"activity": activity, "formset": formset})


@login_required
@require_POST
def part_add(request, pk, part):
    if part not in PARTS:
        raise Http404
    policy.require(request.user, EDIT)
    activity = selectors.activity_get(user=request.user, pk=pk, action=EDIT)
    model, form_class = PARTS[part]
    form = form_class(request.POST, activity=activity, prefix=part)
    if form.is_valid():
        if run(request, None, lambda: services.part_add(actor=request.user, activity=activity, model=model,
                                                        data=form.cleaned_data)):
            messages.success(request, _("Saved."))
    else:
        messages.error(request, "; ".join(f"{form.fields[k].label if k in form.fields else ''}: {e}".lstrip(": ")
                                          for k, errors in form.errors.items() for e in errors))
    return redirect("programs:activity_detail", pk=activity.pk)


@login_required
@require_POST
def part_remove(request, pk, part, item):
    if part not in REMOVABLE:
        raise Http404
    model, kind, personal = REMOVABLE[part]
    policy.require(request.user, EDIT)
    activity = selectors.activity_get(user=request.user, pk=pk, action=EDIT)
    if personal and not selectors.can_see_attendance(request.user, activity):
        raise policy.OutOfScope(ATTENDANCE, type(activity), {"pk": activity.pk}, exists=True)
    try:
        record = model.objects.filter(activity=activity, pk=item).first()
    except (ValueError, ValidationError):
        record = None
    if record is None:
        raise Http404
    service = {"part": lambda: services.part_remove(actor=request.user, part=record),
               "file": lambda: services.file_remove(actor=request.user, record=record),
               "person": lambda: services.person_remove(actor=request.user, record=record)}[kind]
    run(request, None, service)
    messages.success(request, _("Removed."))
    target = {"attendance": "programs:attendance", "registration": "programs:registrations"}.get(part,
                                                                                              "programs:activity_detail")
    return redirect(target, pk=activity.pk)


@login_required
@require_POST
def file_add(request, pk):
    policy.require(request.user, EDIT)
    activity = selectors.activity_get(user=request.user, pk=pk, action=EDIT)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        if run(request, None, lambda: services.file_add(actor=request.user, activity=activity,
                                                        upload=form.cleaned_data["file"],
                                                        caption=form.cleaned_data["caption"])):
            messages.success(request, _("File added."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("programs:activity_detail", pk=activity.pk)


@login_required
def file_download(request, pk):
    record = policy.get_object(request.user, VIEW, ActivityFile.objects.select_related("activity"), pk=pk)
    try:
        data = services.file_read(actor=request.user, record=record)
    except FileNotFoundError:
        raise Http404 from None  # the row outlived its file (restored backup without media)
    response = HttpResponse(data, content_type=record.content_type)
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(record.content_type, "docx")
    disposition = "inline" if record.kind == ActivityFile.Kind.PHOTO else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="activity-{record.activity_id}-{str(record.pk)[:8]}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _people_page(request, pk, *, form_class, list_selector, add_service, template, is_registration=False):
    policy.require(request.user, ATTENDANCE)
    activity = selectors.activity_get(user=request.user, pk=pk)
    if not selectors.can_see_attendance(request.user, activity):
        raise policy.OutOfScope(ATTENDANCE, type(activity), {"pk": activity.pk}, exists=True)
    if is_registration and not activity.type.is_event:
        raise Http404
    can_edit = selectors.can_edit_activity(request.user, activity)
    form = form_class(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise policy.PolicyDenied(EDIT)
        if form.is_valid():
            if run(request, form, lambda: add_service(actor=request.user, activity=activity, data=form.cleaned_data)):
                messages.success(request, _("Saved."))
                return redirect(request.path)
    records = list(list_selector(user=request.user, activity=activity))
    from lindungi.audit import services as audit

    audit.record(f"programs.{'registration' if is_registration else 'attendance'}.viewed", actor=request.user,
                 obj=activity, payload={"count": len(records)})
    return render(request, template, {"activity": activity, "records": records, "form": form, "can_edit": can_edit})


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    return _people_page(request, pk, form_class=AttendanceForm, list_selector=selectors.attendance_list,
                        add_service=services.attendance_add, template="programs/attendance.html")


@login_required
@require_http_methods(["GET", "POST"])
def registrations(request, pk):
    return _people_page(request, pk, form_class=RegistrationForm, list_selector=selectors.registration_list,
                        add_service=services.registration_add, template="programs/registrations.html",
                        is_registration=True)


@login_required
@require_POST
def registration_status(request, pk):
    policy.require(request.user, ATTENDANCE)
    registration = policy.get_object(request.user, ATTENDANCE, EventRegistration.objects.select_related("activity"), pk=pk)
    run(request, None, lambda: services.registration_set_status(actor=request.user, registration=registration,
                                                                status=request.POST.get("status", "")))
    return redirect("programs:registrations", pk=registration.activity_id)
