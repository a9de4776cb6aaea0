"""Supply chains: the goods x country explorer over the DOL List of Goods, and sourcing-list
screening (issue 13).
"""
