"""Imported once by the helper process that upload workers are forked from (see
``app.text.extract``): what segmenting an upload needs is loaded here, so each worker starts
with it instead of loading it again."""

from app.text.segment import load_date_reader

load_date_reader()
