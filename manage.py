#!/usr/bin/env python
"""Django's manage.py, for those who expect it; ``medmentor`` does the same."""

import sys

from medmentor.cli import main

if __name__ == "__main__":
    sys.exit(main())
