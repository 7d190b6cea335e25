"""Stage: shapes."""
