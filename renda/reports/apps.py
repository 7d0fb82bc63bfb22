from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "renda.reports"
    label = "reports"
    verbose_name = "工作台与报表"
