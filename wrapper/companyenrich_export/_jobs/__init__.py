"""What a job is, without I/O: its kinds, values, strict reading, and the checks before paying."""
