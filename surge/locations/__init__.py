"""Locations as Surge speaks of them: geo's answers as API answers and errors, and the geocode cache."""
