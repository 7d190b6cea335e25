"""Stage: extract."""
