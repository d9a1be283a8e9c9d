"""The generic spider as a worker of a shared Redis frontier (scrapy-redis): start pages come from a Redis
list filled by `ocop crawl --distributed --seed`, requests and the duplicate filter live in Redis."""

from __future__ import annotations

import json
import time

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.spiders import RedisMixin

from crawler import meta
from crawler.registry import Source, adhoc_source, load_registry
from crawler.spiders.ocop import LISTING_PRIORITY, OcopSpider

START_KEY = "{prefix}:{spider}:start_urls"
QUEUE_KEY = "{prefix}:%(spider)s:requests"
DUPEFILTER_KEY = "{prefix}:%(spider)s:dupefilter"
ADHOC = "ocop_adhoc"  # meta flag of a seed from --url: the worker builds its source from the URL


def redis_settings(redis_url: str, prefix: str) -> dict:
    """The scrapy-redis settings that make a crawl share its frontier under `prefix` at `redis_url`."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_PERSIST": True,  # a worker that ends leaves the frontier to the others
        "SCHEDULER_QUEUE_KEY": QUEUE_KEY.format(prefix=prefix),
        "SCHEDULER_DUPEFILTER_KEY": DUPEFILTER_KEY.format(prefix=prefix),
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": redis_url,
        "REDIS_START_URLS_KEY": START_KEY.format(prefix=prefix, spider="%(name)s"),
    }


def seed_messages(sources: list[Source], adhoc_names: set[str]) -> list[str]:
    """One JSON message per start URL of the chosen sources, as the workers read them from Redis."""
    messages = []
    for source in sources:
        for url in source.seeds:
            messages.append(json.dumps({"url": url, "meta": {
                meta.ROLE: meta.ROLE_SEED, meta.SOURCE: source.name, ADHOC: source.name in adhoc_names}}))
    return messages


class DistributedOcopSpider(RedisMixin, OcopSpider):
    """`ocop crawl --distributed`: a worker; with `idle_exit` it ends once the shared frontier stayed empty
    that many seconds (checked at Scrapy's idle heartbeat, every few seconds)."""

    name = "ocop-distributed"

    def __init__(self, *args, idle_exit: float | str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.idle_exit = float(idle_exit) if idle_exit not in (None, "") else None
        self.last_busy = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs) -> DistributedOcopSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        registry_file = spider.sources_file or crawler.settings.get("OCOP_SOURCES_FILE")
        spider.sources = {source.name: source for source in load_registry(registry_file)}  # any seed's source
        spider.setup_redis(crawler)
        crawler.signals.connect(spider._busy, signal=signals.response_received)
        return spider

    async def start(self):
        for request in self.next_requests():
            yield request

    def make_request_from_data(self, data: bytes) -> scrapy.Request | None:
        message = json.loads(data)
        request_meta = message.get("meta") or {}
        name = request_meta.get(meta.SOURCE)
        if name not in self.sources:
            if not request_meta.get(ADHOC):
                self.logger.warning("seed %s names source %r, unknown to this worker's registry", message["url"], name)
                return None
            self.sources[name] = adhoc_source(message["url"])
        return scrapy.Request(message["url"], callback=self.parse_seed, errback=self.discovery_failed,
                              dont_filter=True, priority=LISTING_PRIORITY, meta=request_meta)

    def spider_idle(self) -> None:
        if self.server.llen(self.redis_key) > 0:
            self._busy()
        self.schedule_next_requests()
        if self.idle_exit is not None and time.monotonic() - self.last_busy >= self.idle_exit:
            return  # let the engine close the spider
        raise DontCloseSpider

    def _busy(self, *_args, **_kwargs) -> None:
        self.last_busy = time.monotonic()
