"""Stage: server. `create_app(data_dir)` is the web application over the published build."""

from untoc_kg.server.app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
