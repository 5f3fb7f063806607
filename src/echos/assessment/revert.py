"""Revert handler of assessment: withdrawing a submitted response.

Registered with ``core.revert.reverter`` when ``core.revert`` first needs it (``AssessmentConfig``
declares this module as its ``revert_handlers``).
"""

from django.utils.translation import gettext as _

from echos.assessment.models import Response
from echos.core.exceptions import Conflict
from echos.core.revert import reverter


@reverter("assessment.response.submitted")
def _response_submitted(entry, actor):
    """Withdraw a submission: it becomes superseded and the one it replaced is current again."""
    response = Response.objects.select_for_update().filter(pk=entry.target_id).first()
    if response is None or response.status != Response.Status.SUBMITTED:
        raise Conflict(_("Only the current submission can be withdrawn."), "entry")
    response.status = Response.Status.SUPERSEDED
    response.save(update_fields=["status", "updated_at"])
    if response.supersedes_id:
        Response.objects.filter(pk=response.supersedes_id).update(status=Response.Status.SUBMITTED)
