"""The shared base: settings, database, clock, errors, translations, validation, audit and logs.

It imports nothing else of Surge's, so every other part (and clearinghouse/) can build on it.
"""
