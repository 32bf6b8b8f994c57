"""The trainer's toolkit: the responsibility matrix (`matrix.py`), plans compared (`compare.py`), quizzes."""
