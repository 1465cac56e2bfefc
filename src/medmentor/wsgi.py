import os

# A web worker serves one request at a time and there are several per core: the matching
# engine's small products (one mentee, a hundred mentors) must not start BLAS threads,
# which then spin against the other workers (a search took 90-270 ms in one matrix fold
# with OpenBLAS's threads, 0.5 ms without; issue 21). Read when NumPy is first imported.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmentor.settings")

application = get_wsgi_application()
