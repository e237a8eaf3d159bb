"""Likeness by consent: face biometrics, liveness verification of a recorded clip, spoken-digit checks."""
