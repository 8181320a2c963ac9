"""Web views of the cases app (thin: forms in, services and selectors do the work)."""
