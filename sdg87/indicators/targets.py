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

# Indicators that count what authorities detected, not how many people are affected. SDG 16.2.2
# (detected victims of human trafficking, UNODC): more detection is often better
# identification of victims, so zero is not the target of the series and no chart or
# progress calculation should present it as one.
DETECTION_INDICATORS = frozenset({"16.2.2"})


def zero_is_target(*, indicator_code: str | None, target_year: int | None) -> bool:
    """Whether a series of this indicator aims at zero by its target year: only series with a
    target year (shares and distributions have none, see metadata/series.toml) and never a
    count of detected cases."""
    return target_year is not None and indicator_code not in DETECTION_INDICATORS
