"""REST API and server-rendered web explorer over the same services."""
