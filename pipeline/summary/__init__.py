"""What the ideas add up to: counting, priorities, the SVID table."""
