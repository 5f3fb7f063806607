"""Background computation of large network maps (see ``network_store``): one selection on demand,
and the whole network's default selection every night."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from echos.engagement import network_store


@db_task()
def compute_network_map(key: str) -> bool:
    """Measure one stored selection and write its page, table and GEXF/GraphML files."""
    return network_store.compute(key)


@db_periodic_task(crontab(hour="1", minute="20"))
def nightly_network_map() -> int:
    """Recompute the whole network's map of the last 12 months (public and with the register)."""
    return network_store.refresh_whole_network()
