from celery import shared_task

from portal.organisation import services


@shared_task(name="organisation.refresh_municipality_figures")
def refresh_municipality_figures() -> int:
    """Every hour: count each municipality's children, places and staff for the administrator's home."""
    return services.municipality_figures_refresh()
