"""Alembic's environment for the archive: migrates the connection it is given, or the URL passed with -x url=."""

from alembic import context

from storage.database import create_archive_engine, described_by_models, resolve_url, write_transaction
from storage.models import Base

target_metadata = Base.metadata


def run_migrations(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_object=described_by_models)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run_migrations(given)
else:
    engine = create_archive_engine(resolve_url(context.get_x_argument(as_dictionary=True).get("url")))
    with write_transaction(engine) as connection:
        run_migrations(connection)
