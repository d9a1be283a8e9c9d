"""A duplicate filter for one run only: the memory across runs (and across a --jobdir resume) is the archive's."""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    """Scrapy's fingerprint filter, never written to JOBDIR.

    Scrapy's own filter persists every *scheduled* request under JOBDIR; after a SIGKILL those requests may
    be lost from the queue yet still marked seen, and a resumed crawl would silently skip them. Here the
    filter starts empty on every start, listings and feeds rediscover what is left, and the archive's
    seen-before middleware skips what was already stored.
    """

    @classmethod
    def from_crawler(cls, crawler):
        return cls(None, debug=crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter)
