"""Tagged PDFs (PDF/UA-1: structure tree, language and title) made with WeasyPrint from a print template.

WeasyPrint needs Pango from the operating system, so it is imported only when a PDF is asked for:
``pdf_engine()`` answers None without it, and the view shows its own explanation (503) while the HTML
pages keep working. The print templates fetch nothing: no protocol is allowed, not even this server's.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_engine():
    """WeasyPrint's ``HTML`` class, or None when WeasyPrint or the libraries it needs cannot be loaded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):
        return None
    return HTML


def pdf_bytes(engine, template: str, context: dict, *, base_url: str, request=None) -> bytes:
    """The template rendered as a PDF/UA-1 document. ``<html lang>`` gives the PDF its language and
    ``<title>`` its title; nothing is fetched."""
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context, request=request)
    return engine(string=html, base_url=base_url, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def pdf_response(request, engine, template: str, context: dict, *, filename: str) -> HttpResponse:
    """The template rendered as a PDF/UA-1 attachment."""
    pdf = pdf_bytes(engine, template, context, base_url=request.build_absolute_uri("/"), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
