"""`jisr batch`: the pipeline of `jisr translate` over a corpus, on a Ray cluster (Ray Data).

Needs the optional extra `pip install "jisr[ray]"`; nothing outside this package imports ray or
pyarrow, so `jisr translate` never pays for them.
"""

# Articles an actor translates in one length-sorted run (here, not in job.py, so that the CLI can
# show the default without importing ray).
ARTICLES_PER_BATCH = 16
