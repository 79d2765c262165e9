"""Digest emails: subscriptions to saved filters, the approved changes of a range of the log,
an exactly-once outbox, rendering and sending. See `service.send_due` for the whole run."""
