"""A person's corrections of the machine's themes and quadrants."""
