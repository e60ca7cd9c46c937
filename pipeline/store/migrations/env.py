"""Alembic environment: congvan runs it from `pipeline.store.db.upgrade` with an open connection
(`config.attributes["connection"]`); run by hand (`alembic -c …`), it opens `CONGVAN_DB_URL`."""
from __future__ import annotations

from alembic import context

from pipeline.store.db import StoreSettings, is_sqlite, make_engine
from pipeline.store.models import Base

config = context.config


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=is_sqlite(connection.engine), compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    if context.is_offline_mode():
        context.configure(url=StoreSettings.from_env().url, target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = make_engine(StoreSettings.from_env())
    with engine.begin() as connection:
        run(connection)
    engine.dispose()


main()
