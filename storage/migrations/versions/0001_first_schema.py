"""The first schema: sources, crawl runs, URL states, raw responses, articles and versions, facts, provinces, story clusters.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 15:34:13.101575
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table('crawl_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sources', JSON_DOCUMENT, nullable=False),
    sa.Column('options', JSON_DOCUMENT, nullable=False),
    sa.Column('stats', JSON_DOCUMENT, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_runs'))
    )
    op.create_table('provinces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('era', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('folded_name', sa.String(length=100), nullable=False),
    sa.Column('current_name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provinces')),
    sa.UniqueConstraint('era', 'name', name=op.f('uq_provinces_era_name'))
    )
    op.create_index('ix_provinces_folded_name', 'provinces', ['folded_name'])

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('homepage', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sources_name'))
    )
    op.create_table('story_clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('representative_article_id', sa.Integer(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_clusters'))
    )
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('canonical_url', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('lead', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('authors', JSON_DOCUMENT, nullable=False),
    sa.Column('tags', JSON_DOCUMENT, nullable=False),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('extractor_version', sa.String(length=80), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('minhash', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['cluster_id'], ['story_clusters.id'], name=op.f('fk_articles_cluster_id_story_clusters')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_articles_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('canonical_url', name=op.f('uq_articles_canonical_url'))
    )
    op.create_index('ix_articles_cluster_id', 'articles', ['cluster_id'])
    op.create_index('ix_articles_content_hash', 'articles', ['content_hash'])
    op.create_index('ix_articles_reported_at', 'articles', ['reported_at'])
    op.create_index('ix_articles_source_reported', 'articles', ['source_id', 'reported_at'])

    op.create_table('raw_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('final_url', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('headers', JSON_DOCUMENT, nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('body_encoding', sa.String(length=20), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_raw_responses_run_id_crawl_runs')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_raw_responses_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_responses')),
    sa.UniqueConstraint('url', 'content_hash', name=op.f('uq_raw_responses_url_content_hash'))
    )
    op.create_index('ix_raw_responses_run_id', 'raw_responses', ['run_id'])
    op.create_index('ix_raw_responses_source_id', 'raw_responses', ['source_id'])

    op.create_table('article_shingle_bands',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('band', sa.Integer(), nullable=False),
    sa.Column('band_hash', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_shingle_bands_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'band', name=op.f('pk_article_shingle_bands'))
    )
    op.create_index('ix_article_shingle_bands_band', 'article_shingle_bands', ['band', 'band_hash'])

    op.create_table('article_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('raw_response_id', sa.Integer(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('lead', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('extractor_version', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_versions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raw_response_id'], ['raw_responses.id'], name=op.f('fk_article_versions_raw_response_id_raw_responses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_versions')),
    sa.UniqueConstraint('article_id', 'version', name=op.f('uq_article_versions_article_id_version'))
    )
    op.create_index('ix_article_versions_raw_response_id', 'article_versions', ['raw_response_id'])

    op.create_table('facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('article_version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=True),
    sa.Column('stars', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('scope', sa.String(length=20), nullable=True),
    sa.Column('qualifier', sa.String(length=20), nullable=True),
    sa.Column('province', sa.String(length=100), nullable=True),
    sa.Column('province_current', sa.String(length=100), nullable=True),
    sa.Column('nationwide', sa.Boolean(), nullable=False),
    sa.Column('district', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('product', sa.Text(), nullable=True),
    sa.Column('amount_vnd', sa.BigInteger(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('extractor_version', sa.String(length=80), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('extracted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_facts_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facts')),
    sa.UniqueConstraint('article_id', 'position', name=op.f('uq_facts_article_id_position'))
    )
    op.create_index('ix_facts_headline', 'facts', ['kind', 'status', 'scope', 'province', 'stars', 'as_of', 'id'])
    op.create_index('ix_facts_province_current_stars', 'facts', ['province_current', 'stars', 'reported_at'])
    op.create_index('ix_facts_province_stars', 'facts', ['province', 'stars', 'reported_at'])
    op.create_index('ix_facts_reported', 'facts', ['reported_at'])

    op.create_table('url_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('sitemap_lastmod', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_url_states_article_id_articles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_url_states_run_id_crawl_runs')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_url_states_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_url_states')),
    sa.UniqueConstraint('url', name=op.f('uq_url_states_url'))
    )
    op.create_index('ix_url_states_article_id', 'url_states', ['article_id'])
    op.create_index('ix_url_states_run_id', 'url_states', ['run_id'])
    op.create_index('ix_url_states_source_id', 'url_states', ['source_id'])



def downgrade() -> None:
    op.drop_index('ix_url_states_source_id', table_name='url_states')
    op.drop_index('ix_url_states_run_id', table_name='url_states')
    op.drop_index('ix_url_states_article_id', table_name='url_states')

    op.drop_table('url_states')
    op.drop_index('ix_facts_reported', table_name='facts')
    op.drop_index('ix_facts_province_stars', table_name='facts')
    op.drop_index('ix_facts_province_current_stars', table_name='facts')
    op.drop_index('ix_facts_headline', table_name='facts')

    op.drop_table('facts')
    op.drop_index('ix_article_versions_raw_response_id', table_name='article_versions')

    op.drop_table('article_versions')
    op.drop_index('ix_article_shingle_bands_band', table_name='article_shingle_bands')

    op.drop_table('article_shingle_bands')
    op.drop_index('ix_raw_responses_source_id', table_name='raw_responses')
    op.drop_index('ix_raw_responses_run_id', table_name='raw_responses')

    op.drop_table('raw_responses')
    op.drop_index('ix_articles_source_reported', table_name='articles')
    op.drop_index('ix_articles_reported_at', table_name='articles')
    op.drop_index('ix_articles_content_hash', table_name='articles')
    op.drop_index('ix_articles_cluster_id', table_name='articles')

    op.drop_table('articles')
    op.drop_table('story_clusters')
    op.drop_table('sources')
    op.drop_index('ix_provinces_folded_name', table_name='provinces')

    op.drop_table('provinces')
    op.drop_table('crawl_runs')
