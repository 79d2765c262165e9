"""Accounts: users and their roles, sign-in sessions, failed sign-in counts, API tokens."""
