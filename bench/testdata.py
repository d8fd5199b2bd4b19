"""Synthetic documents for the tests and for measuring."""

from weasyprint import HTML


def lag_pdf(sider: int, tekst: str = "Testvedlegg", storleik: str = "A4") -> bytes:
    """A real PDF with one line of text per page ("<tekst> side n"), for tests and seeding;
    `storleik` is a CSS page size, such as "A4 landscape"."""
    pages = "".join(f'<p class="s">{tekst} side {n}</p>' for n in range(1, sider + 1))
    html = f"<style>@page {{ size: {storleik}; }} .s {{ break-after: page; }}</style>{pages}"
    return HTML(string=html).write_pdf()
