"""Volunteer and donation intake for an active incident: the records, their referrals to clearinghouses,
and the rules that make them."""
