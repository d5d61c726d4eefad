"""Subscribed topic alerts over newly stored items. Stage 4 of the flow."""
