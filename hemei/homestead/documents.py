"""The homestead forms as Word documents (filled in by ``hemei.documents``)."""
