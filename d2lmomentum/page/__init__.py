"""The offline chapter page (built by the chapter runner)."""
