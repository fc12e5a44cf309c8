"""Mentions: actors and places named in a document (curated tables, the world gazetteer, person
names) and the places that locate an event.
"""
