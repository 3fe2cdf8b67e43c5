from django.conf import settings


def service(request):
    return {"service_name": settings.SERVICE_NAME, "demo_mode": settings.NRM_DEMO}
