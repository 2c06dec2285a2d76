"""`mcplan diff`: a revision of the workspace read from git (`git`), and what the change does
to the campaigns, their contacts and their findings (`changes`)."""
