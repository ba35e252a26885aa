"""Results files: atomic downloads, resume, inflation, joining, and reading them as rows."""
