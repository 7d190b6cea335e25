"""Stage: sparql."""
