"""Reading input files into responses: column mapping and validation."""
