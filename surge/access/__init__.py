"""Who is acting and what each role may do: the principal, the roles and the permission rule.

Below every domain package, so that centers, accounts and routing all check the same rule.
"""
