"""The events' pages: the coordinator's (``manage``) and the participants' and public
ones (``participant``)."""
