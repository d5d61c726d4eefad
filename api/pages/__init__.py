"""The web page: server-rendered templates (api/templates), one router per page."""
