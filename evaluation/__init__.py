"""Measurements of the trained assistant against public data sets that it never trains on."""
