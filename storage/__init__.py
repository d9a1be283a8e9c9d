"""The archive: SQLAlchemy 2 models, migrations, writes and queries. The only package that talks SQL."""
