"""The archive: SQLAlchemy 2 models, Alembic migrations and the Archive facade (the only package that writes SQL)."""

from storage.archive import Archive
from storage.database import BadArchiveURL
from storage.queries import BadFilter
from storage.values import FetchedPage, PageState, StoreOutcome

__all__ = ["Archive", "BadArchiveURL", "BadFilter", "FetchedPage", "PageState", "StoreOutcome"]
