"""Fuzzy matches from the translation memory: human translations whose sources are close to a
sentence's, with their percentage, offered beside the machine translation (never instead of it).
"""

DEFAULT_THRESHOLD = 75  # percent; CAT tools default to 70-75
DEFAULT_LIMIT = 3  # matches kept per sentence, best first
