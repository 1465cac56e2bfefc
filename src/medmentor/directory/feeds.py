"""An Atom feed of the programs most recently added to the directory."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from medmentor.directory import selectors
from medmentor.directory.models import Listing


class NewListingsFeed(Feed[Listing, None]):
    feed_type = Atom1Feed
    title = _("MedMentor: new mentorship programs")
    subtitle = _("Programs newly listed in MedMentor's public directory of mentorship programs.")

    def link(self) -> str:
        return reverse("directory:index")

    def items(self) -> list[Listing]:
        return list(selectors.listings_recently_published())

    def item_title(self, item: Listing) -> str:
        return item.name

    def item_description(self, item: Listing) -> str:
        # Atom marks the summary as HTML: escape it, so that readers show it as text.
        return escape(f"{item.organisation}. {item.description}".strip())

    def item_pubdate(self, item: Listing) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Listing) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Listing) -> str:
        return item.organisation
