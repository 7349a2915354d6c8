"""Linking across articles: one id for the same thing named in several articles."""
