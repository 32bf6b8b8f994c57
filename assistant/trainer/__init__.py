"""The trainer's toolkit: the responsibility matrix (`matrix.py`), the comparison table (`compare.py`), quizzes (`quiz.py`)."""
