"""Organisers' page to message an event's registrants: write, preview for one recipient, send."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echos.core.exceptions import RuleViolation
from echos.core.forms import ServiceFormMixin
from echos.events import permissions as perms
from echos.events.models import Event, Registration
from echos.events.services import messaging


class MessageForm(ServiceFormMixin, forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"), max_length=messaging.SUBJECT_MAX, strip=True
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=messaging.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Send to"),
        choices=Registration.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(messaging.DEFAULT_STATUSES),
    )
    # Checked by the service (a RuleViolation on "token" is shown above the form, not on a
    # hidden field nobody sees).
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, counts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["statuses"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (value, _("%(status)s (%(n)d)") % {"status": label, "n": counts.get(value, 0)})
            for value, label in Registration.Status.choices
        ]


def _organised(request, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("hub"), pk=pk)
    if not perms.can_view_participants(request.user, event):
        raise PermissionDenied
    return event


@login_required
def message_registrants(request, pk: int):
    """GET: the form and the history; POST "preview": count and one rendered e-mail; POST "send"."""
    event = _organised(request, pk)
    preview = None
    status = 200
    counts = messaging.recipient_counts(event)
    if request.method == "POST":
        form = MessageForm(request.POST, counts=counts)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("action") == "send":
                    message, created = messaging.send_message(
                        actor=request.user,
                        event=event,
                        subject=data["subject"],
                        body=data["body"],
                        statuses=data["statuses"],
                        token=data["token"],
                    )
                    if created:
                        messages.success(
                            request,
                            _("Your message is being sent to %(n)d people.")
                            % {"n": message.recipient_count},
                        )
                    else:
                        messages.info(request, _("This message was already sent; not sent again."))
                    return redirect("events:messages", event.pk)
                count, (subject, text) = messaging.preview(
                    event=event,
                    subject=data["subject"],
                    body=data["body"],
                    statuses=data["statuses"],
                )
                preview = {"count": count, "subject": subject, "text": text}
            except RuleViolation as exc:
                if exc.field == "token":
                    form.add_error(None, exc.message)
                else:
                    form.add_rule_violation(exc)
        if form.errors:
            status = 422
    else:
        form = MessageForm(initial={"token": uuid.uuid4()}, counts=counts)
    context = {
        "event": event,
        "form": form,
        "preview": preview,
        "placeholders": [("{" + k + "}", v) for k, v in messaging.PLACEHOLDERS.items()],
        "history": event.messages.select_related("sender")[:50],
        "per_day": messaging.MESSAGES_PER_DAY,
        "left_today": max(0, messaging.MESSAGES_PER_DAY - messaging.sent_today(event)),
    }
    return render(request, "events/messages.html", context, status=status)
