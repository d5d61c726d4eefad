"""Briefings: what the tracker knows, assembled for a meeting, a calendar or a report."""
