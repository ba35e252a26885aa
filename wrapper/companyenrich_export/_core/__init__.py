"""Sending, without I/O: configuration, the request budget, timing, bounded bodies, redaction."""
