# Generated from _async/__init__.py by scripts/generate_sync.py (make generate).
# Do not edit: change the async code and regenerate (make check-generated fails).
