"""Background work of the synergy engine: embeddings of changed texts and batch-matching jobs,
computed off the request."""

from django.db import transaction
from huey.contrib.djhuey import db_task

from echos.synergies.matching import ensure_vectors
from echos.synergies.models import Activity, Initiative


@db_task(retries=1, retry_delay=30)
def refresh_vector(model: str, pk: int) -> bool:
    """Embed one initiative or activity whose text changed (cached by the hash of its text)."""
    kinds: dict[str, type[Activity] | type[Initiative]] = {
        "activity": Activity,
        "initiative": Initiative,
    }
    obj = kinds[model].objects.filter(pk=pk).first()
    if obj is None or obj.get_vector() is not None:
        return False  # deleted meanwhile, or already up to date
    ensure_vectors([obj])
    return True


def refresh_after_commit(obj) -> None:
    """Queue the embedding of ``obj`` once the transaction that changed it has committed."""
    if obj.get_vector() is not None:
        return
    model, pk = type(obj).__name__.lower(), obj.pk
    transaction.on_commit(lambda: refresh_vector(model, pk))


@db_task()
def run_match_job(job_id: str) -> bool:
    """Match a token holder's batch (``POST /api/v1/synergies/match`` past the synchronous caps)."""
    # cycle: synergies.jobs queues this task (it imports this module)
    from echos.synergies import jobs

    return jobs.run(job_id)
