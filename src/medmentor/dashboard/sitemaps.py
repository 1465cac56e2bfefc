"""The sitemap search engines read (``/sitemap.xml``, named in ``/robots.txt``): the public
pages, each listing of the directory and each listed program. Addresses are built on
``SITE_URL``, never on the host a request happened to use."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from medmentor.directory.models import Listing
from medmentor.directory.selectors import listings_public
from medmentor.programs.models import Program
from medmentor.programs.selectors import programs_listed


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site: object = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PublicPages(SiteSitemap):
    changefreq = "weekly"
    names = (
        "dashboard:home",
        "directory:index",
        "directory:fit",
        "directory:gaps",
        "directory:submit",
        "programs:list",
        "events:upcoming",
    )

    def items(self) -> tuple[str, ...]:
        return self.names

    def location(self, item: str) -> str:
        return reverse(item)


class ListingPages(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Listing]:
        return listings_public().order_by("pk")

    def lastmod(self, item: Listing) -> datetime:
        return item.updated_at


class ProgramPages(SiteSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Program]:
        return programs_listed().order_by("pk")

    def location(self, item: Program) -> str:
        return reverse("programs:detail", args=[item.uuid])


SITEMAPS = {"pages": PublicPages, "directory": ListingPages, "programs": ProgramPages}
