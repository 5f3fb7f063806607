"""Background work of the library (see settings.HUEY): reading the text inside uploaded files."""

from huey.contrib.djhuey import db_task

from echos.library import services


@db_task(retries=1, retry_delay=30)
def extract_version_text(version_id: int) -> str:
    """Extract and index the text of one uploaded version; returns the resource's text status."""
    return services.extract_now(version_id)
