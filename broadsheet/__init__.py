"""Broadsheet: news articles in, joinable Parquet tables out."""

__version__ = "0.1.0"
