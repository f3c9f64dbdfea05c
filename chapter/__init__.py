"""The chapter sources in d2l markdown, installed as package data of ``d2lmomentum.chapter``."""
