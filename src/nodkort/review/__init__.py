"""Review: the whole data folder or one language → findings of every gate (`check`), a proof PDF for a reviewer
(`proof`), and QR codes read back from rendered pages (`scan`).

In: a `Project`. Out: findings, tables, JSON, proof PDFs. Lays cards out through the same pipeline as `render`.
"""
