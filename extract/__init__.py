"""Pure extraction: page -> Article, listing -> Links, sentences -> Facts. No I/O, no Scrapy, no SQL."""
