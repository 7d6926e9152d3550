"""Impose: laid-out cards and how many of each → press sheets: paper, n-up grids, crop and fold marks, slug lines.

In: `LaidSide` values and counts. Out: sheet plans (which side goes where, which marks) as plain values that
`pdf.sheets` writes. Never draws.
"""
