"""The Scrapy project: registry-driven spiders, politeness, pipelines into extract and storage."""
