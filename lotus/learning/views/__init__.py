"""Pages of the learning app (lessons-learnt reviews and the factor vocabulary)."""
