"""Orders: what to print and how many (one `nodkort sheet`, or a school's order file) → print files, packing slips
and a manifest in an output folder, resumable and exact.

In: order files (CSV, XLSX) and options. Out: an output folder. Uses the pipeline for every card it lays out.
"""
