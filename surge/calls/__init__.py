"""Call events from the centers' phone systems, their imports, and the figures the National Standards ask for."""
