"""Text: paragraphs, sentences and clauses, quotation marks, numbers and dates, the phrase lists
(`lexicon`) and the literal prefilter on pattern searches.
"""
