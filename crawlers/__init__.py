"""Crawlers: fetch items from the source registry (feeds and web pages). Stage 1 of the flow."""
