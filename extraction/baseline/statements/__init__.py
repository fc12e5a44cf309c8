"""Statements: quotes and paraphrases, their speakers and sources, their kind, and the events they
speak of.
"""
