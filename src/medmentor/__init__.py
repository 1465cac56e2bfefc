"""MedMentor: mentorship for medicine."""
