"""The HTTP edge: the app factory and serving, pages for people, the JSON API, and their infrastructure."""
