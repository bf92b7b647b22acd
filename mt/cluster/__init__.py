"""`jisr batch`: the pipeline of `jisr translate` over a corpus, on a Ray cluster (Ray Data).

Needs the optional extra `pip install "jisr[ray]"`; nothing outside this package imports ray or
pyarrow, so `jisr translate` never pays for them.
"""
