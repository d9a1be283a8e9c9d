"""The request meta keys the spider, the middlewares and the pipelines share."""

ROLE = "ocop_role"  # what a request fetches: one of the ROLE_* values
ROLE_SEED = "seed"  # a start page, feed or sitemap: its kind is sniffed from the response
ROLE_LISTING = "listing"  # a further page of a listing (pagination)
ROLE_ARTICLE = "article"  # an article page: remembered in the archive, skipped when already known

SOURCE = "ocop_source"  # the registry name of the source the request belongs to
START_URL = "ocop_start_url"  # the listing's first page, for pagination templates
PAGE = "ocop_page"  # the listing page number (1 for the start page)
PREVIOUS_ARTICLES = "ocop_previous_articles"  # article URLs of the listing page before this one
SITEMAP_LASTMOD = "ocop_sitemap_lastmod"  # ISO lastmod of the article in a sitemap or feed, if given
