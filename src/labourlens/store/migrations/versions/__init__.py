"""Revisions of the evidence base schema, oldest first."""
