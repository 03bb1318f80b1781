"""Tejun (手順): information-security operations for local-government bodies."""
