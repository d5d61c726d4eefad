"""Wire schemas, one module per resource (api/schemas/common.py says why)."""
