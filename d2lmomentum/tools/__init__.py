"""Tools on top of the library: the cross-backend parity harness, the benchmark and the
theory figures."""
