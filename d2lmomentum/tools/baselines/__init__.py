"""The benchmark's baselines, one module per framework: the chapter-literal loop (its data loader,
per-minibatch evaluation, the literal update) and the framework's own update variants, fed the
same weights and data order as d2lmomentum."""
