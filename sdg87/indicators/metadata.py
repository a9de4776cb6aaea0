"""Catalogue of the bundled indicators, series, sources and releases (the stable codes).

Other apps (pages, API, analysis) build on these codes; change them only with a migration of
the data. Texts for sources and releases come from data/PROVENANCE.md.

Code conventions
* SDG indicators use their official number (`8.7.1`); SDG series their UN code (`SL_TLF_CHLDEA`).
* Non-SDG measures use a documented, upper-case code: `GE-CL` (ILO-UNICEF global estimates of
  child labour), `GE-MS` (Global Estimates of Modern Slavery), `GSI-2023` (Walk Free Global
  Slavery Index 2023), `OWID-CL-HIST` (Our World in Data historical child labour series).
* Units are the publisher's codes in upper case; values are stored as published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Translations = dict[str, dict[str, str]]

CHILD_LABOUR_TARGET_YEAR = 2025  # SDG target 8.7: "by 2025 end child labour in all its forms"
SDG_TARGET_YEAR = (
    2030  # forced labour, modern slavery, trafficking (8.7, 16.2), child marriage (5.3)
)

SDG_METADATA_871 = "https://unstats.un.org/sdgs/metadata/files/Metadata-08-07-01.pdf"
SDG_METADATA_1622 = "https://unstats.un.org/sdgs/metadata/files/Metadata-16-02-02.pdf"
SDG_METADATA_531 = "https://unstats.un.org/sdgs/metadata/files/Metadata-05-03-01.pdf"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    is_sdg: bool
    goal: int | None = None
    target: str = ""
    definition: str = ""
    unit: str = ""
    custodians: str = ""
    methodology: str = ""
    sort_order: int = 100
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class SeriesSpec:
    code: str
    indicator: str
    name: str
    unit: str
    unit_label: str
    description: str = ""
    dimensions: tuple[str, ...] = ()
    target_year: int | None = None
    decimals: int = 1
    sort_order: int = 100
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class SourceSpec:
    code: str
    title: str
    publisher: str
    licence: str
    url: str = ""
    licence_url: str = ""
    description: str = ""


@dataclass(frozen=True)
class ReleaseSpec:
    code: str
    source: str
    title: str
    year: int
    citation: str
    provenance: str
    url: str = ""
    released_on: str = ""  # ISO date
    licence_note: str = ""


def _tr(fr: str, es: str) -> Translations:
    return {"fr": {"name": fr}, "es": {"name": es}}


# --------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------

INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        code="8.7.1",
        goal=8,
        target="8.7",
        is_sdg=True,
        sort_order=10,
        name=(
            "Proportion and number of children aged 5-17 years engaged in child labour, "
            "by sex and age"
        ),
        definition=(
            "The number of children engaged in child labour corresponds to the number of "
            "children reported to be in child labour during the reference period (usually the "
            "week prior to the survey). The proportion of children in child labour is the number "
            "of children in child labour divided by the total number of children in the "
            "population. Children are all persons aged 5 to 17."
        ),
        unit="Percent of children aged 5-17",
        custodians="ILO; UNICEF",
        methodology=(
            "Child labour for SDG 8.7.1 follows the UN SDG metadata (Metadata-08-07-01, "
            f"{SDG_METADATA_871}), which sets age-specific hour thresholds for the reference "
            "week: children aged 5-11 who did at least 1 hour of economic activity; children "
            "aged 12-14 who did at least 14 hours of economic activity; children aged 15-17 who "
            "did at least 43 hours of economic activity; plus children in hazardous work (the "
            "hour thresholds also serve as a proxy for hazardous work). Series SL_TLF_CHLDEA "
            "counts economic activity only. Series SL_TLF_CHLDEC also counts unpaid household "
            "services (household chores): children aged 5-14 beyond the threshold of 21 hours "
            "of household chores in the reference week. Country figures come from household "
            "surveys (MICS, DHS, national labour force and child labour surveys); regional and "
            "global figures (nature N) are the ILO-UNICEF global estimates for 2020."
        ),
        translations=_tr(
            "Proportion et nombre d'enfants âgés de 5 à 17 ans qui travaillent, par sexe et âge",
            "Proporción y número de niños de entre 5 y 17 años que realizan trabajo infantil, "
            "desglosados por sexo y edad",
        ),
    ),
    IndicatorSpec(
        code="16.2.2",
        goal=16,
        target="16.2",
        is_sdg=True,
        sort_order=20,
        name=(
            "Number of victims of human trafficking per 100,000 population, by sex, age and "
            "form of exploitation"
        ),
        definition=(
            "Detected victims of trafficking in persons, as reported by national authorities to "
            "UNODC, in number and per 100,000 population, by sex, age group and form of "
            "exploitation (forced labour, sexual exploitation, removal of organs, other "
            "purposes)."
        ),
        unit="Number; per 100,000 population",
        custodians="UNODC",
        methodology=(
            "Counts of victims detected by national authorities (police, prosecution, victim "
            "services) collected by UNODC for the Global Report on Trafficking in Persons. "
            "Detected victims are not the total number of victims: detection depends on national "
            f"capacity and priorities. UN SDG metadata: {SDG_METADATA_1622}."
        ),
        translations=_tr(
            "Nombre de victimes de la traite d'êtres humains pour 100 000 habitants, par sexe, "
            "âge et forme d'exploitation",
            "Número de víctimas de la trata de personas por cada 100.000 habitantes, desglosado "
            "por sexo, edad y tipo de explotación",
        ),
    ),
    IndicatorSpec(
        code="5.3.1",
        goal=5,
        target="5.3",
        is_sdg=True,
        sort_order=30,
        name=(
            "Proportion of women aged 20-24 years who were married or in a union before age 15 "
            "and before age 18"
        ),
        definition=(
            "Number of women aged 20-24 who were first married or in union before age 15 (or "
            "before age 18) divided by the total number of women aged 20-24, multiplied by 100. "
            "Formal and informal unions are covered."
        ),
        unit="Percent of women aged 20-24",
        custodians="UNICEF",
        methodology=(
            "Household surveys (MICS, DHS, censuses). Regional and global aggregates are "
            "weighted averages; countries without data get the regional average for the "
            f"aggregate only. UN SDG metadata: {SDG_METADATA_531}."
        ),
        translations=_tr(
            "Proportion de femmes âgées de 20 à 24 ans qui étaient mariées ou en couple avant "
            "l'âge de 15 ans ou de 18 ans",
            "Proporción de mujeres de entre 20 y 24 años que estaban casadas o mantenían una "
            "unión estable antes de cumplir los 15 años y antes de cumplir los 18 años",
        ),
    ),
    IndicatorSpec(
        code="GE-CL",
        is_sdg=False,
        sort_order=40,
        name="ILO-UNICEF global estimates of child labour",
        definition=(
            "Global and regional numbers and prevalence of children aged 5-17 in child labour "
            "and in hazardous work, from the ILO (2010, 2013, 2017) and ILO-UNICEF (2021, "
            "2025) global estimates reports (reference years 2000-2024)."
        ),
        unit="Million children; percent",
        custodians="ILO; UNICEF",
        methodology=(
            "Figures typed by hand from the reports as quoted by the sources named per row "
            "(data/PROVENANCE.md, section 3); rows not found in any source are not loaded. Each "
            "figure belongs to the release of the report that published it. Regions follow each "
            "report's own grouping. Change since 2016, share of child labourers out of school "
            "and the COVID-19 projection are separate series."
        ),
        translations=_tr(
            "Estimations mondiales du travail des enfants OIT-UNICEF",
            "Estimaciones mundiales sobre el trabajo infantil OIT-UNICEF",
        ),
    ),
    IndicatorSpec(
        code="GE-MS",
        is_sdg=False,
        sort_order=50,
        name="Global Estimates of Modern Slavery (forced labour and forced marriage)",
        definition=(
            "Number and prevalence of people in modern slavery (forced labour and forced "
            "marriage) on any given day, by form, sex, age, region and income group, from the "
            "ILO, Walk Free and IOM Global Estimates of Modern Slavery (reference years 2016 "
            "and 2021)."
        ),
        unit="Million people; per 1,000 population; percent",
        custodians="ILO; Walk Free; IOM",
        methodology=(
            "Figures typed by hand from the 2017 and 2022 reports (and the ILO 2024 report "
            "Profits and poverty, which quotes the 2021 estimates), as quoted by the sources "
            "named per row (data/PROVENANCE.md, section 3). The dimension `form` codes: "
            "MODERN_SLAVERY, FORCED_LABOUR, FORCED_MARRIAGE, FL_PRIVATE_ECONOMY (forced labour "
            "exploitation in the private economy), FL_COMMERCIAL_SEXUAL (forced commercial "
            "sexual exploitation; 'forced sexual exploitation' in the 2017 report), "
            "FL_STATE_IMPOSED, FL_PRIVATELY_IMPOSED. Shares carry `subgroup` when the part is a "
            "sub-form; otherwise the part is given by sex (F = women and girls) or age "
            "(Y_LT18 = children)."
        ),
        translations=_tr(
            "Estimations mondiales de l'esclavage moderne (travail forcé et mariage forcé)",
            "Estimaciones mundiales sobre la esclavitud moderna (trabajo forzoso y matrimonio "
            "forzoso)",
        ),
    ),
    IndicatorSpec(
        code="GSI-2023",
        is_sdg=False,
        sort_order=60,
        name="Walk Free Global Slavery Index 2023: estimated prevalence of modern slavery",
        definition=(
            "Estimated number of people in modern slavery and prevalence per 1,000 population by "
            "country (160 countries) and region, Walk Free Global Slavery Index 2023; the "
            "estimates refer to 2021."
        ),
        unit="Persons; per 1,000 population",
        custodians="Walk Free (Minderoo Foundation)",
        methodology=(
            "Country estimates modelled by Walk Free from the 2021 Global Estimates of Modern "
            "Slavery and national surveys. The bundled file is a second-hand copy (Kaggle "
            "re-upload) spot-checked against Walk Free's published figures: 160 countries have "
            "estimates summing to 49,630,000 (published total 49.6 million)."
        ),
        translations=_tr(
            "Indice mondial de l'esclavage 2023 (Walk Free)",
            "Índice Global de Esclavitud 2023 (Walk Free)",
        ),
    ),
    IndicatorSpec(
        code="OWID-CL-HIST",
        is_sdg=False,
        sort_order=70,
        name="Historical incidence of child labour (Our World in Data)",
        definition=(
            "Share of children recorded as working in England, Italy and the United States "
            "(1851-1961) and in the world (ILO, 1950-2012), and ILO-IPEC world series of "
            "children in employment 2000-2012, as compiled by Our World in Data."
        ),
        unit="Percent; number of children",
        custodians="Our World in Data (compiler)",
        methodology=(
            "England and Italy: children aged 10-14 recorded as working at least one hour per "
            "week; United States: ages 10-13; World ILO-EPEAP 1950-1995: ages 10-14; World "
            "ILO-IPEC 2000-2012: ages 5-17. Definitions differ between sources: compare within "
            "a source only."
        ),
        translations=_tr(
            "Incidence historique du travail des enfants (Our World in Data)",
            "Incidencia histórica del trabajo infantil (Our World in Data)",
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Series
# --------------------------------------------------------------------------------------------

_HTF = {
    "VC_HTF_DETV": "Detected victims of human trafficking",
    "VC_HTF_DETVFL": (
        "Detected victims of human trafficking for forced labour, servitude and slavery"
    ),
    "VC_HTF_DETVSX": "Detected victims of human trafficking for sexual exploitation",
    "VC_HTF_DETVOG": "Detected victims of human trafficking for removal of organ",
    "VC_HTF_DETVOP": "Detected victims of human trafficking for other purposes",
}
_HTF_TR = {
    "VC_HTF_DETV": (
        "Victimes détectées de la traite des personnes",
        "Víctimas detectadas de la trata de personas",
    ),
    "VC_HTF_DETVFL": (
        "Victimes détectées de la traite à des fins de travail forcé, de servitude et d'esclavage",
        "Víctimas detectadas de la trata con fines de trabajo forzoso, servidumbre y esclavitud",
    ),
    "VC_HTF_DETVSX": (
        "Victimes détectées de la traite à des fins d'exploitation sexuelle",
        "Víctimas detectadas de la trata con fines de explotación sexual",
    ),
    "VC_HTF_DETVOG": (
        "Victimes détectées de la traite à des fins de prélèvement d'organes",
        "Víctimas detectadas de la trata con fines de extracción de órganos",
    ),
    "VC_HTF_DETVOP": (
        "Victimes détectées de la traite à d'autres fins",
        "Víctimas detectadas de la trata con otros fines",
    ),
}


def _htf_series() -> tuple[SeriesSpec, ...]:
    specs = []
    for order, (code, name) in enumerate(_HTF.items()):
        fr, es = _HTF_TR[code]
        specs.append(
            SeriesSpec(
                code=code,
                indicator="16.2.2",
                name=f"{name}, by age and sex (number)",
                unit="NUMBER",
                unit_label="Number of detected victims",
                dimensions=("exploitation",),
                target_year=SDG_TARGET_YEAR,
                decimals=0,
                sort_order=200 + order * 2,
                translations=_tr(f"{fr} (nombre)", f"{es} (número)"),
            )
        )
        specs.append(
            SeriesSpec(
                code=f"{code}R",
                indicator="16.2.2",
                name=f"{name}, by age and sex (per 100,000 population)",
                unit="PER_100000_POP",
                unit_label="Detected victims per 100,000 population",
                dimensions=("exploitation",),
                target_year=SDG_TARGET_YEAR,
                decimals=2,
                sort_order=201 + order * 2,
                translations=_tr(
                    f"{fr} (pour 100 000 habitants)", f"{es} (por cada 100.000 habitantes)"
                ),
            )
        )
    return tuple(specs)


SERIES: tuple[SeriesSpec, ...] = (
    # SDG 8.7.1
    SeriesSpec(
        code="SL_TLF_CHLDEA",
        indicator="8.7.1",
        name="Proportion of children engaged in economic activity, by sex and age (%)",
        description=(
            "Children in child labour counting economic activity only (hour thresholds by age, "
            "see the indicator methodology)."
        ),
        unit="PERCENT",
        unit_label="% of children in the age group",
        target_year=CHILD_LABOUR_TARGET_YEAR,
        sort_order=100,
        translations=_tr(
            "Proportion d'enfants exerçant une activité économique, par sexe et âge (%)",
            "Proporción de niños que realizan una actividad económica, por sexo y edad (%)",
        ),
    ),
    SeriesSpec(
        code="SL_TLF_CHLDEC",
        indicator="8.7.1",
        name=(
            "Proportion of children engaged in economic activity and household chores, by sex "
            "and age (%)"
        ),
        description=(
            "Children in child labour counting economic activity and unpaid household chores "
            "beyond the 21-hour threshold for ages 5-14. The 2020 World and SDG-regional values "
            "(nature N) are the ILO-UNICEF global estimates."
        ),
        unit="PERCENT",
        unit_label="% of children in the age group",
        target_year=CHILD_LABOUR_TARGET_YEAR,
        sort_order=101,
        translations=_tr(
            "Proportion d'enfants exerçant une activité économique et des tâches ménagères, par "
            "sexe et âge (%)",
            "Proporción de niños que realizan una actividad económica y tareas domésticas, por "
            "sexo y edad (%)",
        ),
    ),
    # SDG 16.2.2
    *_htf_series(),
    # SDG 5.3.1
    SeriesSpec(
        code="SP_DYN_MRBF15",
        indicator="5.3.1",
        name=(
            "Proportion of women aged 20-24 years who were married or in a union before age 15 (%)"
        ),
        unit="PER_MARW_20T24Y",
        unit_label="% of women aged 20-24",
        target_year=SDG_TARGET_YEAR,
        sort_order=300,
        translations=_tr(
            "Proportion de femmes âgées de 20 à 24 ans mariées ou en couple avant l'âge de 15 ans "
            "(%)",
            "Proporción de mujeres de entre 20 y 24 años casadas o en unión antes de los 15 años "
            "(%)",
        ),
    ),
    SeriesSpec(
        code="SP_DYN_MRBF18",
        indicator="5.3.1",
        name=(
            "Proportion of women aged 20-24 years who were married or in a union before age 18 (%)"
        ),
        unit="PER_MARW_20T24Y",
        unit_label="% of women aged 20-24",
        target_year=SDG_TARGET_YEAR,
        sort_order=301,
        translations=_tr(
            "Proportion de femmes âgées de 20 à 24 ans mariées ou en couple avant l'âge de 18 ans "
            "(%)",
            "Proporción de mujeres de entre 20 y 24 años casadas o en unión antes de los 18 años "
            "(%)",
        ),
    ),
    # GE-CL
    SeriesSpec(
        code="ILO_CL_NUM",
        indicator="GE-CL",
        name="Children in child labour (millions)",
        unit="MILLION_CHILDREN",
        unit_label="Million children",
        dimensions=("sector", "area"),
        target_year=CHILD_LABOUR_TARGET_YEAR,
        sort_order=400,
        translations=_tr(
            "Enfants astreints au travail des enfants (millions)",
            "Niños en situación de trabajo infantil (millones)",
        ),
    ),
    SeriesSpec(
        code="ILO_CL_PCT",
        indicator="GE-CL",
        name="Children in child labour (% of children aged 5-17 in the group)",
        unit="PERCENT_OF_CHILDREN_5_17",
        unit_label="% of children aged 5-17",
        target_year=CHILD_LABOUR_TARGET_YEAR,
        sort_order=401,
        translations=_tr(
            "Enfants astreints au travail des enfants (% des enfants de 5 à 17 ans)",
            "Niños en situación de trabajo infantil (% de los niños de 5 a 17 años)",
        ),
    ),
    SeriesSpec(
        code="ILO_CL_SHARE",
        indicator="GE-CL",
        name="Distribution of child labour (% of all children in child labour)",
        unit="PERCENT_OF_CHILD_LABOUR",
        unit_label="% of children in child labour",
        dimensions=("sector",),
        sort_order=402,
        translations=_tr(
            "Répartition du travail des enfants (% des enfants astreints au travail)",
            "Distribución del trabajo infantil (% de los niños en trabajo infantil)",
        ),
    ),
    SeriesSpec(
        code="ILO_HAZ_NUM",
        indicator="GE-CL",
        name="Children in hazardous work (millions)",
        unit="MILLION_CHILDREN",
        unit_label="Million children",
        target_year=CHILD_LABOUR_TARGET_YEAR,
        sort_order=403,
        translations=_tr(
            "Enfants effectuant des travaux dangereux (millions)",
            "Niños en trabajos peligrosos (millones)",
        ),
    ),
    SeriesSpec(
        code="ILO_HAZ_PCT",
        indicator="GE-CL",
        name="Children in hazardous work (% of children aged 5-17 in the group)",
        unit="PERCENT_OF_CHILDREN_5_17",
        unit_label="% of children aged 5-17",
        target_year=CHILD_LABOUR_TARGET_YEAR,
        sort_order=404,
        translations=_tr(
            "Enfants effectuant des travaux dangereux (% des enfants de 5 à 17 ans)",
            "Niños en trabajos peligrosos (% de los niños de 5 a 17 años)",
        ),
    ),
    SeriesSpec(
        code="ILO_CL_CHANGE_NUM",
        indicator="GE-CL",
        name="Change in the number of children in child labour since 2016 (millions)",
        unit="MILLION_CHILDREN",
        unit_label="Million children (change)",
        sort_order=406,
        translations=_tr(
            "Variation du nombre d'enfants astreints au travail depuis 2016 (millions)",
            "Variación del número de niños en trabajo infantil desde 2016 (millones)",
        ),
    ),
    SeriesSpec(
        code="ILO_HAZ_CHANGE_NUM",
        indicator="GE-CL",
        name="Change in the number of children in hazardous work since 2016 (millions)",
        unit="MILLION_CHILDREN",
        unit_label="Million children (change)",
        sort_order=407,
        translations=_tr(
            "Variation du nombre d'enfants effectuant des travaux dangereux depuis 2016 (millions)",
            "Variación del número de niños en trabajos peligrosos desde 2016 (millones)",
        ),
    ),
    SeriesSpec(
        code="ILO_CL_OUT_OF_SCHOOL_PCT",
        indicator="GE-CL",
        name="Children in child labour who are out of school (% of child labourers of the age)",
        unit="PERCENT_OF_CHILD_LABOUR_IN_AGE_GROUP",
        unit_label="% of children in child labour of the age group",
        sort_order=408,
        translations=_tr(
            "Enfants astreints au travail non scolarisés (% des enfants astreints au travail du "
            "groupe d'âge)",
            "Niños en trabajo infantil sin escolarizar (% de los niños en trabajo infantil del "
            "grupo de edad)",
        ),
    ),
    SeriesSpec(
        code="ILO_CL_COVID_PROJ_NUM",
        indicator="GE-CL",
        name=(
            "Additional children projected in child labour by end-2022 because of COVID-19 "
            "(millions)"
        ),
        description="Projection published with the 2020 estimates; stored with year 2020.",
        unit="ADDITIONAL_MILLION_CHILDREN",
        unit_label="Additional million children",
        sort_order=409,
        translations=_tr(
            "Enfants supplémentaires astreints au travail d'ici fin 2022 du fait de la COVID-19 "
            "(projection, millions)",
            "Niños adicionales en trabajo infantil a finales de 2022 por la COVID-19 "
            "(proyección, millones)",
        ),
    ),
    # GE-MS
    SeriesSpec(
        code="GEMS_NUM",
        indicator="GE-MS",
        name="People in modern slavery, by form (millions)",
        unit="MILLION_PEOPLE",
        unit_label="Million people",
        dimensions=("form",),
        target_year=SDG_TARGET_YEAR,
        sort_order=500,
        translations=_tr(
            "Personnes en situation d'esclavage moderne, par forme (millions)",
            "Personas en situación de esclavitud moderna, por forma (millones)",
        ),
    ),
    SeriesSpec(
        code="GEMS_PREV",
        indicator="GE-MS",
        name="Prevalence of modern slavery, by form (per 1,000 population)",
        unit="PER_1000_POPULATION",
        unit_label="Per 1,000 population",
        dimensions=("form",),
        target_year=SDG_TARGET_YEAR,
        sort_order=501,
        translations=_tr(
            "Prévalence de l'esclavage moderne, par forme (pour 1 000 habitants)",
            "Prevalencia de la esclavitud moderna, por forma (por cada 1.000 habitantes)",
        ),
    ),
    SeriesSpec(
        code="GEMS_SHARE_PCT",
        indicator="GE-MS",
        name="Share of a group among people in a form of modern slavery (%)",
        unit="PERCENT",
        unit_label="% of people in the form",
        dimensions=("form", "subgroup"),
        sort_order=502,
        translations=_tr(
            "Part d'un groupe parmi les personnes dans une forme d'esclavage moderne (%)",
            "Proporción de un grupo entre las personas en una forma de esclavitud moderna (%)",
        ),
    ),
    SeriesSpec(
        code="GEMS_SHARE_FRACTION",
        indicator="GE-MS",
        name="Share of a group among people in a form of modern slavery (fraction)",
        description="Published as a fraction (0.25 = one in four); kept as published.",
        unit="FRACTION",
        unit_label="Fraction of people in the form",
        dimensions=("form",),
        decimals=2,
        sort_order=503,
        translations=_tr(
            "Part d'un groupe parmi les personnes dans une forme d'esclavage moderne (fraction)",
            "Proporción de un grupo entre las personas en una forma de esclavitud moderna "
            "(fracción)",
        ),
    ),
    SeriesSpec(
        code="GEMS_CHANGE_NUM",
        indicator="GE-MS",
        name="Change in the number of people in modern slavery since 2016 (millions)",
        unit="MILLION_PEOPLE",
        unit_label="Million people (change)",
        dimensions=("form",),
        sort_order=504,
        translations=_tr(
            "Variation du nombre de personnes en esclavage moderne depuis 2016 (millions)",
            "Variación del número de personas en esclavitud moderna desde 2016 (millones)",
        ),
    ),
    # GSI-2023
    SeriesSpec(
        code="GSI_PREV_1000",
        indicator="GSI-2023",
        name="Estimated prevalence of modern slavery (per 1,000 population)",
        unit="PER_1000_POPULATION",
        unit_label="Per 1,000 population",
        target_year=SDG_TARGET_YEAR,
        sort_order=600,
        translations=_tr(
            "Prévalence estimée de l'esclavage moderne (pour 1 000 habitants)",
            "Prevalencia estimada de la esclavitud moderna (por cada 1.000 habitantes)",
        ),
    ),
    SeriesSpec(
        code="GSI_NUMBER",
        indicator="GSI-2023",
        name="Estimated number of people in modern slavery",
        unit="NUMBER",
        unit_label="Persons",
        target_year=SDG_TARGET_YEAR,
        decimals=0,
        sort_order=601,
        translations=_tr(
            "Nombre estimé de personnes en situation d'esclavage moderne",
            "Número estimado de personas en situación de esclavitud moderna",
        ),
    ),
    SeriesSpec(
        code="GSI_NUMBER_MILLIONS",
        indicator="GSI-2023",
        name="Estimated number of people in modern slavery, regions (millions)",
        unit="MILLION_PEOPLE",
        unit_label="Million people",
        target_year=SDG_TARGET_YEAR,
        sort_order=602,
        translations=_tr(
            "Nombre estimé de personnes en esclavage moderne, régions (millions)",
            "Número estimado de personas en esclavitud moderna, regiones (millones)",
        ),
    ),
    SeriesSpec(
        code="GSI_FM_PREV_1000",
        indicator="GSI-2023",
        name="Estimated prevalence of forced marriage (per 1,000 population)",
        unit="PER_1000_POPULATION",
        unit_label="Per 1,000 population",
        target_year=SDG_TARGET_YEAR,
        sort_order=603,
        translations=_tr(
            "Prévalence estimée du mariage forcé (pour 1 000 habitants)",
            "Prevalencia estimada del matrimonio forzoso (por cada 1.000 habitantes)",
        ),
    ),
    SeriesSpec(
        code="GSI_POPULATION",
        indicator="GSI-2023",
        name="Population used by the Global Slavery Index 2023",
        description="Population figure used by Walk Free for the estimates (persons).",
        unit="NUMBER",
        unit_label="Persons",
        decimals=0,
        sort_order=604,
        translations=_tr(
            "Population utilisée par l'Indice mondial de l'esclavage 2023",
            "Población utilizada por el Índice Global de Esclavitud 2023",
        ),
    ),
    # OWID-CL-HIST
    SeriesSpec(
        code="OWID_CL_INCIDENCE",
        indicator="OWID-CL-HIST",
        name="Incidence of child labour (% of children recorded as working)",
        description=(
            "Ages differ by source (see age); dimension `coverage`=ENGLAND marks England-only "
            "figures stored under the United Kingdom; `estimate` tells the ILO world series "
            "apart (ILO_EPEAP, ILO_IPEC)."
        ),
        unit="PERCENT",
        unit_label="% of children recorded as working",
        dimensions=("coverage", "estimate"),
        target_year=CHILD_LABOUR_TARGET_YEAR,
        sort_order=700,
        translations=_tr(
            "Incidence du travail des enfants (% des enfants recensés comme travaillant)",
            "Incidencia del trabajo infantil (% de niños registrados como trabajadores)",
        ),
    ),
    SeriesSpec(
        code="OWID_CHILD_EMPL_PCT",
        indicator="OWID-CL-HIST",
        name="Children in employment (% of children in the age group), ILO-IPEC",
        description=(
            "Children involved in economic activity for at least one hour in the reference week "
            "(ILO-IPEC 2013, via OWID). Children in employment is wider than child labour."
        ),
        unit="PERCENT",
        unit_label="% of children in the age group",
        sort_order=701,
        translations=_tr(
            "Enfants occupés (% des enfants du groupe d'âge), OIT-IPEC",
            "Niños ocupados (% de los niños del grupo de edad), OIT-IPEC",
        ),
    ),
    SeriesSpec(
        code="OWID_CHILD_EMPL_NUM",
        indicator="OWID-CL-HIST",
        name="Children aged 5-14 in employment (number), ILO-IPEC",
        unit="NUMBER",
        unit_label="Children",
        decimals=0,
        sort_order=702,
        translations=_tr(
            "Enfants de 5 à 14 ans occupés (nombre), OIT-IPEC",
            "Niños de 5 a 14 años ocupados (número), OIT-IPEC",
        ),
    ),
    SeriesSpec(
        code="OWID_CHILD_NOT_EMPL_NUM",
        indicator="OWID-CL-HIST",
        name="Children aged 5-14 not in employment (number), ILO-IPEC",
        unit="NUMBER",
        unit_label="Children",
        decimals=0,
        sort_order=703,
        translations=_tr(
            "Enfants de 5 à 14 ans non occupés (nombre), OIT-IPEC",
            "Niños de 5 a 14 años no ocupados (número), OIT-IPEC",
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Sources and releases (texts from data/PROVENANCE.md)
# --------------------------------------------------------------------------------------------

SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        code="un-sdg-global-database",
        title="UN SDG Global Database",
        publisher="United Nations Statistics Division (UNSD); DDF conversion by Open Numbers",
        licence="CC-BY-4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        url="https://unstats.un.org/sdgs/dataportal",
        description=(
            "The official database of the SDG global indicators, compiled by UNSD from the "
            "custodian agencies (ILO and UNICEF for 8.7.1, UNODC for 16.2.2, UNICEF for 5.3.1). "
            "Bundled via the Open Numbers DDF conversion, which declares CC-BY-4.0; the UN "
            "database is free to use with attribution. Cite both."
        ),
    ),
    SourceSpec(
        code="ilo-unicef-child-labour-estimates",
        title="ILO-UNICEF global estimates of child labour",
        publisher="International Labour Organization (ILO); UNICEF",
        licence="Facts from the reports; cite the reports (licence per report, see releases)",
        url="https://www.ilo.org/topics/child-labour",
        description=(
            "Global and regional child labour estimates published by the ILO (2010, 2013, 2017) "
            "and jointly by the ILO and UNICEF (2021, 2025). Figures were typed by hand from the "
            "sources named per row; unverified figures are not loaded."
        ),
    ),
    SourceSpec(
        code="global-estimates-modern-slavery",
        title="Global Estimates of Modern Slavery",
        publisher="ILO; Walk Free; International Organization for Migration (IOM)",
        licence="Facts from the reports; cite the reports",
        url="https://www.ilo.org/publications/major-publications/global-estimates-modern-slavery-forced-labour-and-forced-marriage",
        description=(
            "Global estimates of forced labour and forced marriage, reference years 2016 "
            "(published 2017) and 2021 (published 2022). Figures typed by hand from the sources "
            "named per row."
        ),
    ),
    SourceSpec(
        code="walk-free-gsi",
        title="Global Slavery Index",
        publisher="Walk Free (Minderoo Foundation)",
        licence="attribution required; terms unverified",
        url="https://www.walkfree.org/global-slavery-index/",
        description=(
            "Country and regional estimates of modern slavery by Walk Free. The licence of the "
            "data file could not be verified: attribution required, check terms before "
            "redistribution."
        ),
    ),
    SourceSpec(
        code="our-world-in-data",
        title="Our World in Data",
        publisher="Global Change Data Lab (Our World in Data)",
        licence="CC-BY-4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        url="https://ourworldindata.org/child-labor",
        description=(
            "OWID-published data under CC BY 4.0; original sources as listed in each "
            "datapackage (ILO-IPEC; Cunningham and Viazzo; Toniolo and Vecchi; Long; Basu)."
        ),
    ),
)

_UNSD_PROVENANCE = (
    "Repository open-numbers/ddf--unstats--sdg_indicators, branch autogenerated, commit "
    "e0117e9f1c068be8379f0ad94a07d2839c79a60b (2023-12-17): DDF conversion of the UN SDG Global "
    "Database downloaded with the official SDG API. DDF long tables merged into one long table "
    "per indicator; code->label lookups for age/sex/nature/units; ISO3 column added by joining "
    "M49 to reference/country_codes_iso_m49.csv; rows sorted. No values changed. On load, "
    "age/sex labels are mapped to SDMX codes; units and the nature flag are kept."
)
_GE_PROVENANCE = (
    "data/global_estimates/ilo_unicef_child_labour_global_estimates.csv: typed by hand row by "
    "row from the sources named in evidence_location, with a verbatim evidence_quote; rows "
    "with verification_status 'unverified' are not loaded; other non-'verified' statuses are "
    "named in the observation note."
)
_MS_PROVENANCE = (
    "data/global_estimates/global_estimates_of_modern_slavery.csv: typed by hand row by row "
    "from the sources named in evidence_location, with a verbatim evidence_quote; rows with "
    "verification_status 'unverified' are not loaded; other non-'verified' statuses are named "
    "in the observation note."
)

RELEASES: tuple[ReleaseSpec, ...] = (
    ReleaseSpec(
        code="unsd-sdg-2023-12",
        source="un-sdg-global-database",
        title="UN SDG Global Database, December 2023 extract (Open Numbers DDF)",
        year=2023,
        released_on="2023-12-17",
        url="https://github.com/open-numbers/ddf--unstats--sdg_indicators/tree/autogenerated",
        citation=(
            "Source: UN SDG Global Database, unstats.un.org/sdgs/dataportal (extract of "
            "December 2023), via Open Numbers, ddf--unstats--sdg_indicators (CC BY 4.0)."
        ),
        provenance=_UNSD_PROVENANCE,
    ),
    ReleaseSpec(
        code="ilo-cl-ge-2010",
        source="ilo-unicef-child-labour-estimates",
        title="ILO (2010) Accelerating action against child labour (Global Report)",
        year=2010,
        citation=(
            "ILO (2010). Accelerating action against child labour. Global Report. Geneva: ILO."
        ),
        provenance=_GE_PROVENANCE,
        licence_note="ILO report; licence not verified",
    ),
    ReleaseSpec(
        code="ilo-cl-ge-2013",
        source="ilo-unicef-child-labour-estimates",
        title=(
            "ILO-IPEC (2013) Marking progress against child labour: Global estimates and trends "
            "2000-2012"
        ),
        year=2013,
        url=(
            "http://www.ilo.org/wcmsp5/groups/public/---ed_norm/---ipec/documents/publication/"
            "wcms_221513.pdf"
        ),
        citation=(
            "ILO-IPEC (2013). Marking progress against child labour: Global estimates and "
            "trends 2000-2012. Geneva: ILO."
        ),
        provenance=_GE_PROVENANCE,
        licence_note="ILO report; licence not verified",
    ),
    ReleaseSpec(
        code="ilo-cl-ge-2017",
        source="ilo-unicef-child-labour-estimates",
        title="ILO (2017) Global estimates of child labour: Results and trends, 2012-2016",
        year=2017,
        citation=(
            "ILO (2017). Global estimates of child labour: Results and trends, 2012-2016. "
            "Geneva: ILO."
        ),
        provenance=_GE_PROVENANCE,
        licence_note="CC BY 3.0 IGO",
    ),
    ReleaseSpec(
        code="ilo-unicef-cl-ge-2021",
        source="ilo-unicef-child-labour-estimates",
        title=(
            "ILO & UNICEF (2021) Child Labour: Global estimates 2020, trends and the road forward"
        ),
        year=2021,
        citation=(
            "International Labour Office and United Nations Children's Fund (2021). Child "
            "Labour: Global estimates 2020, trends and the road forward. New York: ILO and "
            "UNICEF."
        ),
        provenance=_GE_PROVENANCE,
        licence_note="CC BY 4.0",
    ),
    ReleaseSpec(
        code="ilo-unicef-cl-ge-2025",
        source="ilo-unicef-child-labour-estimates",
        title=(
            "ILO & UNICEF (2025) Child Labour: Global estimates 2024, trends and the road forward"
        ),
        year=2025,
        citation=(
            "International Labour Office and United Nations Children's Fund (2025). Child "
            "Labour: Global estimates 2024, trends and the road forward. New York: ILO and "
            "UNICEF."
        ),
        provenance=_GE_PROVENANCE,
        licence_note="ILO-UNICEF report; licence not verified",
    ),
    ReleaseSpec(
        code="gems-2017",
        source="global-estimates-modern-slavery",
        title="Global Estimates of Modern Slavery: Forced Labour and Forced Marriage (2017)",
        year=2017,
        citation=(
            "ILO and Walk Free Foundation, in partnership with IOM (2017). Global Estimates of "
            "Modern Slavery: Forced Labour and Forced Marriage. Geneva."
        ),
        provenance=_MS_PROVENANCE,
    ),
    ReleaseSpec(
        code="gems-2022",
        source="global-estimates-modern-slavery",
        title="Global Estimates of Modern Slavery: Forced Labour and Forced Marriage (2022)",
        year=2022,
        citation=(
            "ILO, Walk Free and IOM (2022). Global Estimates of Modern Slavery: Forced Labour "
            "and Forced Marriage. Geneva."
        ),
        provenance=_MS_PROVENANCE,
    ),
    ReleaseSpec(
        code="ilo-profits-poverty-2024",
        source="global-estimates-modern-slavery",
        title=(
            "ILO (2024) Profits and poverty: The economics of forced labour (2016 and 2021 "
            "estimates)"
        ),
        year=2024,
        citation=(
            "ILO (2024). Profits and poverty: The economics of forced labour. Second edition. "
            "Geneva: ILO. (Quotes the Global Estimates of Modern Slavery.)"
        ),
        provenance=_MS_PROVENANCE,
    ),
    ReleaseSpec(
        code="gsi-2023",
        source="walk-free-gsi",
        title="Walk Free (2023) Global Slavery Index 2023",
        year=2023,
        url="https://www.walkfree.org/global-slavery-index/",
        citation="Walk Free (2023). Global Slavery Index 2023. Minderoo Foundation.",
        provenance=(
            "Country estimates: data/walk_free/gsi_2023_country_estimates.csv, second-hand copy "
            "of 'GSI 2023 summary data' (Kaggle dataset patricklford/modern-slavery, file "
            "Global_Slavery_Index_2023.csv, as committed in repository br04aman/Datathon at "
            "6b83e05a86cd86a8bddf1856e56e594f0a4281af); trimmed whitespace, removed thousands "
            "separators, '-' -> empty, iso3 added (Kosovo = XKX). 160 countries with estimates "
            "summing to 49,630,000. Regional figures: rows of "
            "data/global_estimates/global_estimates_of_modern_slavery.csv quoting the GSI 2023 "
            "regional overview. Estimates refer to 2021."
        ),
        licence_note="attribution required; terms unverified",
    ),
    ReleaseSpec(
        code="owid-child-labor-world-ilo-2017",
        source="our-world-in-data",
        title="Our World in Data: Child Labor (World ILO) - ILO (2017)",
        year=2017,
        url="https://github.com/owid/owid-datasets/tree/master/datasets",
        citation=(
            "Our World in Data, 'Child Labor (World ILO) - ILO (2017)', from ILO-IPEC (2013) "
            "Marking progress against child labour. CC BY 4.0."
        ),
        provenance=(
            "Repository owid/owid-datasets (HEAD 48c9992ae317b35ed327fc36d2af75fe8b3ef7ed), "
            "datasets/Child Labor (World ILO) - ILO (2017) (commit cc3a6086); file renamed "
            "only, content unchanged. OWID unit annotations partly wrong: units follow the "
            "column descriptions."
        ),
    ),
    ReleaseSpec(
        code="owid-incidence-child-labor-historical",
        source="our-world-in-data",
        title=(
            "Our World in Data: Incidence of child labor (England, Italy, US, World) - "
            "Cunningham and Viazzo (1996) and others"
        ),
        year=2017,
        url="https://github.com/owid/owid-datasets/tree/master/datasets",
        citation=(
            "Our World in Data, 'Incidence of child labor (England, Italy, US, World)', from "
            "Cunningham and Viazzo (1996), Toniolo and Vecchi (2007), Long (1958), Basu (1999) "
            "and ILO-IPEC (2013). CC BY 4.0."
        ),
        provenance=(
            "Repository owid/owid-datasets (HEAD 48c9992ae317b35ed327fc36d2af75fe8b3ef7ed), "
            "datasets/Incidence of child labor (England, Italy, US, World) - Cunningham and "
            "Viazzo (1996) and others (commit 80e91c38); file renamed only, content unchanged."
        ),
    ),
)
