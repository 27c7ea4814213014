"""Page-shaped reads for meetings, by audience (see the modules in this package)."""
