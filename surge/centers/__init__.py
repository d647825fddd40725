"""The 2-1-1 centers of a network: who covers where, when they are open, their overflow agreements and live load."""
