"""Alembic environment: the schema belongs to the migrations, never to create_all."""

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)
from app.db import make_engine
from app.search import is_model_object
from app.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=is_model_object,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
