"""Handing messages to the worker: django-tasks with its database backend (django-tasks-db),
so a queued message is a row written in the same transaction as what caused it (a request
confirmed, an answer found published): it exists exactly when its cause does."""

from alerts.tasks import send_deliveries

# Messages one task sends over one SMTP connection.
BATCH = 100


def enqueue(delivery_ids, run_after=None):
    ids = list(delivery_ids)
    task = send_deliveries.using(run_after=run_after) if run_after else send_deliveries
    for start in range(0, len(ids), BATCH):
        task.enqueue(ids[start : start + BATCH])
