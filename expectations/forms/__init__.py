"""See the capability modules in this package."""
