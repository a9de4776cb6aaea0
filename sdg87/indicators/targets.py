"""Target years of SDG Target 8.7 and of the related targets: the one place they are written.

Target 8.7: "take immediate and effective measures to eradicate forced labour, end modern
slavery and human trafficking and secure the prohibition and elimination of the worst forms of
child labour, including recruitment and use of child soldiers, and by 2025 end child labour in
all its forms". The other forms of Target 8.7, Target 16.2 (trafficking, violence against
children) and Target 5.3 (child marriage) aim at the end of the 2030 Agenda. Pure constants,
no Django.
"""

from __future__ import annotations

# "by 2025 end child labour in all its forms"
CHILD_LABOUR_TARGET_YEAR = 2025
# forced labour, modern slavery, trafficking (8.7, 16.2), child marriage (5.3)
SDG_TARGET_YEAR = 2030
# Indicators about child labour, which aim at CHILD_LABOUR_TARGET_YEAR.
CHILD_LABOUR_INDICATORS = frozenset({"8.7.1", "GE-CL"})
