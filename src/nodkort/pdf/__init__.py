"""PDF: laid-out sides and sheet plans → PDF bytes (reportlab), and PDF bytes → preview PNGs (pdfium).

In: `LaidCard`, sheet plans, plain documents. Out: reproducible PDF bytes. The only package that draws.
"""
