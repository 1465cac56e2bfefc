"""Writes: offers and their slots (``offers``), bookings (``bookings``), the periodic job
(``due``), a person's leaving (``erasure``)."""
