from django_tasks import task


@task(queue_name="alerts")
def send_deliveries(delivery_ids):
    """Sends the messages `delivery_ids` that are still due (a message already sent, or taken
    by another worker, is skipped: running this twice sends nothing twice)."""
    from alerts.sending import send_batch

    send_batch(delivery_ids)
