"""The tracking store: SQLAlchemy models, Alembic migrations, repository functions."""
from pipeline.store.db import Store, StoreSettings, default_store

__all__ = ["Store", "StoreSettings", "default_store"]
