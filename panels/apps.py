from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"

    def ready(self):
        from casework import panel_port
        from panels.casework_port import PanelsForCasework

        # casework learns of panels through its own port, never by importing panels (docs/adr/0012).
        panel_port.install(PanelsForCasework())
