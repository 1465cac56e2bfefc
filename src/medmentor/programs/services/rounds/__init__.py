"""Match rounds: start and run (``run``, ``execute``), adjust before publishing
(``adjust``), publish and answer (``publish``)."""
