"""The template's rules: findings as values, their codes, and the checker."""
