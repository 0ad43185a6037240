"""A story as one self-contained document: exported from one instance, imported into another."""
