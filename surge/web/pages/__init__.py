"""Pages for people: templates, forms, log-in and home."""
