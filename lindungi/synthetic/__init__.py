"""Synthetic national data for benchmarks and load tests (`manage.py generate_synthetic`).

Everything made here is obviously fictional: names are generated from syllables and end in
"(Sintetis)", NIKs start with "99" (not a province code), organisations are "Yayasan Sintetis …".
Rows go through the application's own crypto code (`rows.encode`: the encrypted fields' cipher,
associated data and `to_bytes`, the blind indexes' transforms and `digest`), the models' validators
(`full_clean`, on a sample or on every row) and the audit chain (`audit.services.record_many`).
See `generator.py` for the design.
"""
