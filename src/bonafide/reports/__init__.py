"""The reports channel (product §4.7): anonymous sightings in, corroborated events out, nothing
that can identify a reporter.

A compartment of its own: its own data directory and vault, no access to the dossiers' vault.

- `model.py`: a report and its categories, as the API and the synthetic stream write them;
- `intake.py`, `scrub.py`: a report as sent → the facts kept (a photo re-encoded, times cut);
- `gazetteer.py`: settlements of Belarus and its neighbours' border areas, offline;
- `events.py`: reports → events (space-time clustering, moving things along their way);
- `credibility.py`: an event's facts, corroboration, the reviewer's Admiralty grade;
- `store.py`, `channel.py`: the sealed store and the channel's operations over it (take a
  report, the reviewer's work, the feed's events, reduction);
- `feed.py`, `basemap.py`, `published.py`: the published feed (page with an offline map,
  Atom, JSON), rendered once per change;
- `server.py`, `serve.py`, `work.py`: the intake's service and its optional proof of work;
- `ingest.py`, `options.py`, `cli.py`: the commands;
- `synth.py`: a synthetic stream of reports with its ground truth.
"""
