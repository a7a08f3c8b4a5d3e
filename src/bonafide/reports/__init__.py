"""The reports channel (product §4.7): anonymous sightings in, corroborated events out, nothing
that can identify a reporter.

A compartment of its own: its own data directory and vault, no access to the dossiers' vault.

- `model.py`: a report and its categories, as the API and the synthetic stream write them;
- `gazetteer.py`: settlements of Belarus and its neighbours' border areas, offline;
- `synth.py`: a synthetic stream of reports with its ground truth.
"""
