from django.apps import AppConfig


class LibConfig(AppConfig):
    # Registered as an app only so Django discovers the template tag library.
    name = "tejun.lib"
    label = "tejun_lib"
