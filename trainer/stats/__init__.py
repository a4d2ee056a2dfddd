"""Progress figures computed from the store, and their text forms.

`figures` gathers everything the statistics screen and `trainer stats` show; `cards` and
`reviews` compute the figures of the cards table and of the review log (`hours`: the local
hours of their year); `text` turns figures
into the words and shades both the screen and the command print. Nothing here draws widgets.
"""
