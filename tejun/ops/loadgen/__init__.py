"""`tejun loadgen`: a large, realistic, deterministic body for the benchmark (issue 8).

One module per domain (people, assets, media, incidents, vendors, extras) writes its rows with bulk_create
and queues the audit events a real history would have left; audit.py writes them as one valid hash chain."""
