"""The book: d2l-format chapters parsed once, run as notebooks on Jupyter kernels, and
written as offline pages."""
