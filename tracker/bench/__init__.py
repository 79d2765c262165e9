"""`tracker bench`: the project's paths measured against bare baselines in the same run.

One module per part: `core` (command path, bulk load, rebuild, verify), `transfer` (exports,
imports, restore), `web` (page response times), `digest`; `floor` and `data` serve them.
"""
