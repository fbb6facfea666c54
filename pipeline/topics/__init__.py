"""Themes: cross-lingual centring, seed guidance, UMAP, HDBSCAN, keywords, names."""
