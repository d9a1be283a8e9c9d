"""The weekly digest: gather a week of facts from the archive and render it with Jinja2 templates."""
