"""What the division tree tells the layers above it, without knowing them."""

from django.dispatch import Signal

#: Sent inside the import's transaction with ``batch`` (the DivisionImport), ``actor`` and
#: ``under``; the audit trail (``hemei.accounts``) records it.
table_imported = Signal()
