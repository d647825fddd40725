"""People and systems that use Surge: users, roles, sessions, API tokens."""
