from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "renda.duties"
    label = "duties"
    verbose_name = "代表履职"
