"""Story clusters: one story however many sites carried it, by exact text hash and by MinHash over word shingles."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update

from storage.models import Article, ArticleShingleBand, StoryCluster

if TYPE_CHECKING:
    from datasketch import MinHash

articles = Article.__table__
bands_table = ArticleShingleBand.__table__
clusters = StoryCluster.__table__

SHINGLE_WORDS = 3  # three-word shingles: long enough that shared phrases of the genre do not match
PERMUTATIONS = 128  # MinHash size: the Jaccard estimate's standard error is about 1/sqrt(128) ≈ 0.09
BANDS, ROWS_PER_BAND = 32, 4  # LSH banding: a pair with Jaccard 0.6 shares a band with probability 0.99
NEAR_DUPLICATE_JACCARD = 0.6  # a wire story with a site's own intro and captions still scores above this
MIN_SHINGLES = 30  # shorter texts (briefs, captions) are too small to call near duplicates by shingles
MINHASH_DTYPE = np.uint32  # datasketch's hash values fit in 32 bits; stored as 512 bytes per article
# Stored signatures are only comparable under the hashing scheme that made them; changing it needs a re-hash.
MINHASH_SCHEME = "affine32"

assert BANDS * ROWS_PER_BAND == PERMUTATIONS


def _minhash_class():
    """datasketch, imported on first use: it pulls in scipy, a second of start-up that queries do not need."""
    from datasketch import MinHash
    return MinHash


def signature(folded_text: str) -> MinHash | None:
    """The MinHash of a folded text's word shingles, or None when the text is too short to compare."""
    words = folded_text.split()
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}
    if len(shingles) < MIN_SHINGLES:
        return None
    minhash = _minhash_class()(num_perm=PERMUTATIONS, scheme=MINHASH_SCHEME)
    minhash.update_batch(shingles)
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype(MINHASH_DTYPE).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return _minhash_class()(num_perm=PERMUTATIONS, scheme=MINHASH_SCHEME,
                            hashvalues=np.frombuffer(data, dtype=MINHASH_DTYPE).astype(np.uint64))


def band_hashes(minhash: MinHash) -> list[int]:
    """One signed 64-bit hash per LSH band of the signature."""
    values = minhash.hashvalues.astype(MINHASH_DTYPE)
    return [int.from_bytes(hashlib.blake2b(values[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND].tobytes(),
                                           digest_size=8).digest(), "big", signed=True)
            for band in range(BANDS)]


def assign_cluster(connection: Connection, article_id: int, content_hash: str, minhash: MinHash | None,
                   now: datetime) -> int:
    """Put an article (new or changed) into the cluster of its exact or nearest duplicate, else a new one."""
    _leave_cluster(connection, article_id)
    cluster_id = _exact_duplicate_cluster(connection, article_id, content_hash)
    if cluster_id is None and minhash is not None:
        cluster_id = _near_duplicate_cluster(connection, article_id, minhash)
    if minhash is not None:
        connection.execute(insert(bands_table), [
            {"article_id": article_id, "band": band, "band_hash": value}
            for band, value in enumerate(band_hashes(minhash))])
    if cluster_id is None:
        cluster_id = connection.execute(insert(clusters).values(
            representative_article_id=article_id, size=1, created_at=now).returning(clusters.c.id)).scalar_one()
    else:
        connection.execute(update(clusters).where(clusters.c.id == cluster_id).values(size=clusters.c.size + 1))
    connection.execute(update(articles).where(articles.c.id == article_id).values(cluster_id=cluster_id))
    return cluster_id


def _leave_cluster(connection: Connection, article_id: int) -> None:
    current = connection.execute(select(articles.c.cluster_id).where(articles.c.id == article_id)).scalar()
    connection.execute(delete(bands_table).where(bands_table.c.article_id == article_id))
    if current is None:
        return
    connection.execute(update(articles).where(articles.c.id == article_id).values(cluster_id=None))
    connection.execute(update(clusters).where(clusters.c.id == current).values(size=clusters.c.size - 1))
    remaining = connection.execute(select(func.min(articles.c.id)).where(articles.c.cluster_id == current)).scalar()
    if remaining is None:
        connection.execute(delete(clusters).where(clusters.c.id == current))
    else:
        connection.execute(update(clusters).where(clusters.c.id == current,
                                                  clusters.c.representative_article_id == article_id)
                           .values(representative_article_id=remaining))


def _exact_duplicate_cluster(connection: Connection, article_id: int, content_hash: str) -> int | None:
    if connection.dialect.name == "postgresql":
        # Two crawls storing the same text at once would each miss the other's uncommitted article and start two
        # stories; a lock on the text's hash makes the second wait for the first (SQLite writers are serial).
        key = int.from_bytes(bytes.fromhex(content_hash[:16]), "big", signed=True)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    return connection.execute(
        select(articles.c.cluster_id).where(articles.c.content_hash == content_hash, articles.c.id != article_id,
                                            articles.c.cluster_id.is_not(None)).limit(1)).scalar()


def _near_duplicate_cluster(connection: Connection, article_id: int, minhash: MinHash) -> int | None:
    shared_band = or_(*(and_(bands_table.c.band == band, bands_table.c.band_hash == value)
                        for band, value in enumerate(band_hashes(minhash))))
    candidates = select(bands_table.c.article_id).where(shared_band, bands_table.c.article_id != article_id).distinct()
    best_cluster, best_similarity = None, NEAR_DUPLICATE_JACCARD
    for cluster_id, stored in connection.execute(
            select(articles.c.cluster_id, articles.c.minhash).where(articles.c.id.in_(candidates),
                                                                    articles.c.cluster_id.is_not(None))):
        similarity = minhash.jaccard(from_bytes(stored))
        if similarity >= best_similarity:
            best_cluster, best_similarity = cluster_id, similarity
    return best_cluster
