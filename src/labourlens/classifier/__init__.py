"""The learned indicator classifier: static sentence embeddings and a linear model, shipped in the package."""
