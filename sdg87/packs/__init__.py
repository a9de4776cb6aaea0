"""Due-diligence packs per good x country: versioned, citable, as page, PDF, Frictionless CSV and
JSON-LD (issue 13).
"""
