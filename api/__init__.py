"""The REST API's shared machinery: problem details, schema hooks, language
negotiation, conditional requests, pagination, throttling, error handlers and routes.

Each app keeps its own API views; this package holds only what they all share.
"""
