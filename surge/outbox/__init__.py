"""The outbox: e-mails and webhooks written in the same transaction as the change that causes them,
and sent later by the delivery worker."""
