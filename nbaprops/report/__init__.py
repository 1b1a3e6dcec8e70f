"""Reports computed from the warehouse after the pipeline ran (accuracy of the prediction systems)."""
