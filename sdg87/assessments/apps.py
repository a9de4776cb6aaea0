from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "sdg87.assessments"
    label = "assessments"
