"""Web: the staff page — HTTP requests → the same library calls the command line makes → HTML, PDF, PNG, CSV, ZIP.

In: requests from a browser on this machine (or behind the organisation's reverse proxy). Out: pages in Swedish
or English, the files `nodkort render`, `sheet`, `batch`, `contacts` and `proof` write, and review records
written exactly as `nodkort lang review` writes them. Nothing here lays out or draws: `app` routes, `http`
speaks WSGI with the security headers and CSRF tokens, `work` holds the library calls and `pool` runs them in
worker processes, `cache` keeps rendered cards, `uploads` keeps an order file and its ZIP for at most an hour,
`text` is the page's own small catalog, and `card`, `orders`, `contacts`, `languages` build one page each from
what the library returns.
"""
