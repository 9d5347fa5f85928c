"""The kernel: building blocks every app uses (the publishing rule, ownership, slugs, admin and
view base classes). It imports none of the apps; see docs/architecture.md."""
