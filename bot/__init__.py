"""GreenGuide: green-transition guidance for Southeast Asian MSMEs."""

__version__ = "0.1.0"
