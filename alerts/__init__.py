"""Alerts that reach people: rules evaluated against the database, messages by e-mail and webhook."""
