"""Sensitive datasets: quarantine, disclosure control (k-anonymity, l-diversity, cell suppression)
and certificates (issue 13).
"""
