"""Decides when crawls, alerts and briefings run (APScheduler); does no work of its own."""
