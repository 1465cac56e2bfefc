"""The four sections of a program report, each built from other apps' selectors."""
