"""Clearinghouse agencies, linkages, volunteers, donations and referrals."""
