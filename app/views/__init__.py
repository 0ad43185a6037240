"""View models for the pages: what each page shows, built from a few queries, also served as JSON.

A page's template and its `.json` twin get the same object, so the JSON is the page's data.
"""
