"""Stage: ontology."""
