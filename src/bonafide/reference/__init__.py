"""Reference data that verification reads: general knowledge of Belarus, kept apart from the
synthetic population's vocabulary (`bonafide.synth`), so that verification is not tuned to the
figures it is tested on.

- `bonafide.reference.words`: a Belarusian ↔ Russian ↔ English dictionary of the words
  institutions, employers, positions, programmes and addresses are made of, and the legal and
  organisational forms (ООО / ТАА / LLC, ГУО / ДУА) that say what kind of body a name is
- `bonafide.reference.security`: `security_service_of(name)`, the security, police, penal,
  military and prosecution services recognised from an organisation's name
- `bonafide.reference.departures`: `departure_of(reason)`, why a residence registration ended

Places (settlements, streets, renamings) are shared reference data in `bonafide.places`.
The tables are CSV files in `data/`; `data/SOURCES.md` says how they were made.
"""
