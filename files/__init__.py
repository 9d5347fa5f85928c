"""What the archive knows about files, apart from what they are for: what an upload really is,
what it says, how to read it safely.

A plain package, not an installed app: it imports no domain app, and the apps import it
(`tests/test_architecture.py` checks that).
"""
