"""Foreign files in, plain records out: one module per format, no database and no Textual.

`review_log` reads another app's review log (CSV). What the records become in the progress
database is the store's business (`trainer.store.review_import`).
"""
