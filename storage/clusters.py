"""Story clusters: one story however many sites carried it, by exact text hash and by MinHash over word shingles."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache

import numpy as np
from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from storage.models import Article, ArticleShingleBand, StoryCluster

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


def load_hashing() -> None:
    """Import datasketch and draw the permutations now rather than for the first signature (a long-running process
    that signs articles does this at its start)."""
    _permutations()


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The scheme's permutation parameters (the same for every signature), drawn once rather than per MinHash."""
    return _minhash_class()(num_perm=PERMUTATIONS, scheme=MINHASH_SCHEME).permutations


def signature(folded_text: str) -> bytes | None:
    """The MinHash of a folded text's word shingles, as stored (PERMUTATIONS values of MINHASH_DTYPE), or None when
    the text is too short to compare."""
    words = folded_text.split()
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}
    if len(shingles) < MIN_SHINGLES:
        return None
    minhash = _minhash_class()(num_perm=PERMUTATIONS, scheme=MINHASH_SCHEME, permutations=_permutations())
    minhash.update_batch(shingles)
    return minhash.hashvalues.astype(MINHASH_DTYPE).tobytes()


def similarity(signature: bytes, stored: bytes) -> float:
    """The Jaccard estimate between two signatures (MinHash.jaccard: the share of equal values)."""
    return np.count_nonzero(_values(signature) == _values(stored)) / PERMUTATIONS


def band_hashes(signature: bytes) -> list[int]:
    """One signed 64-bit hash per LSH band of the signature."""
    values = _values(signature)
    return [int.from_bytes(hashlib.blake2b(values[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND].tobytes(),
                                           digest_size=8).digest(), "big", signed=True)
            for band in range(BANDS)]


def _values(signature: bytes) -> np.ndarray:
    return np.frombuffer(signature, dtype=MINHASH_DTYPE)


def assign_cluster(connection: Connection, article_id: int, content_hash: str, signature: bytes | None,
                   now: datetime, *, new: bool = False) -> int:
    """Put an article (new or changed) into the cluster of its exact or nearest duplicate, else a new one.

    `new`: the article was inserted in this transaction, so it has no cluster and no bands to leave."""
    if not new:
        _leave_cluster(connection, article_id)
    cluster_id = _exact_duplicate_cluster(connection, article_id, content_hash)
    hashes = band_hashes(signature) if signature is not None else None
    if cluster_id is None and hashes is not None:
        cluster_id = _near_duplicate_cluster(connection, article_id, signature, hashes)
    if hashes is not None:
        connection.execute(_INSERT_BANDS, [{"article_id": article_id, "band": band, "band_hash": value}
                                           for band, value in enumerate(hashes)])
    if cluster_id is None:
        cluster_id = connection.execute(_NEW_CLUSTER, {"representative_article_id": article_id, "size": 1,
                                                       "created_at": now}).scalar_one()
    else:
        connection.execute(_GROW_CLUSTER, {"cluster_id": cluster_id})
    connection.execute(_SET_ARTICLE_CLUSTER, {"article_id": article_id, "cluster_id": cluster_id})
    return cluster_id


_INSERT_BANDS = insert(bands_table)
_NEW_CLUSTER = insert(clusters).returning(clusters.c.id)
_GROW_CLUSTER = update(clusters).where(clusters.c.id == bindparam("cluster_id")).values(size=clusters.c.size + 1)
_SET_ARTICLE_CLUSTER = (update(articles).where(articles.c.id == bindparam("article_id"))
                        .values(cluster_id=bindparam("cluster_id")))
_EXACT_DUPLICATE = (select(articles.c.cluster_id)
                    .where(articles.c.content_hash == bindparam("content_hash"),
                           articles.c.id != bindparam("article_id"), articles.c.cluster_id.is_not(None)).limit(1))
# The articles sharing at least one LSH band, with their signatures: one statement, written once with a bound
# parameter per band, so that each article costs one indexed lookup per band (SQLite: a MULTI-INDEX OR over
# ix_article_shingle_bands_band; PostgreSQL: a BitmapOr) and no statement is built or compiled per article.
# A row-value "(band, band_hash) IN (VALUES ...)" reads the same but SQLite scans the whole table for it.
_SHARED_BAND_CANDIDATES = text(
    f"SELECT DISTINCT candidate.id, candidate.cluster_id, candidate.minhash "
    f"FROM {bands_table.name} AS shared JOIN {articles.name} AS candidate ON candidate.id = shared.article_id "
    f"WHERE (" + " OR ".join(f"(shared.band = {band} AND shared.band_hash = :band_{band})" for band in range(BANDS))
    + ") AND shared.article_id != :article_id AND candidate.cluster_id IS NOT NULL"
).columns(id=articles.c.id.type, cluster_id=articles.c.cluster_id.type, minhash=articles.c.minhash.type)


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
    return connection.execute(_EXACT_DUPLICATE, {"content_hash": content_hash, "article_id": article_id}).scalar()


def _near_duplicate_cluster(connection: Connection, article_id: int, signature: bytes, hashes: list[int]) -> int | None:
    parameters = {f"band_{band}": value for band, value in enumerate(hashes)}
    best_cluster, best_similarity = None, NEAR_DUPLICATE_JACCARD
    for _candidate, cluster_id, stored in connection.execute(_SHARED_BAND_CANDIDATES,
                                                             {**parameters, "article_id": article_id}):
        score = similarity(signature, stored)
        if score >= best_similarity:
            best_cluster, best_similarity = cluster_id, score
    return best_cluster
