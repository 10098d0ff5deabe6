from django.db import models


class ServiceFlag(models.Model):
    """Install-wide switches, such as 'this installation holds fictional demo data'."""

    name = models.CharField(max_length=50, unique=True)
    enabled = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    DEMO_DATA = "demo_data"

    def __str__(self) -> str:
        return f"{self.name}={self.enabled}"


def demo_data_loaded() -> bool:
    return ServiceFlag.objects.filter(name=ServiceFlag.DEMO_DATA, enabled=True).exists()
