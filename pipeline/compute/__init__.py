"""Running the per-idea work of ``balsis run`` as partitions on a Dask cluster (``compute``)."""
