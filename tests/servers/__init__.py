"""Real local servers the integration tests talk to over loopback HTTP."""
