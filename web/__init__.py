"""The web interface: server-rendered pages with htmx fragments, over the tracker's services.

Nothing runs on import; `web.app.create_app(services, settings)` builds the application.
"""
