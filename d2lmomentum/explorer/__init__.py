"""The interactive momentum explorer."""
