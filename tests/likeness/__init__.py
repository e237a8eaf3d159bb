"""Likeness by consent: face biometrics, spoken digits, and liveness verification of recordings."""
