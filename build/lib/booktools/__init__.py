"""Developer tools beside the product: the benchmark, the search probe, the sample-image
generator, and what tests share with them (a local site server, the scratch-copy rule).

None of it is needed to convert posts or build the book.
"""
