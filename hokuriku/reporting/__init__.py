"""Running notebooks into reports, and assembling report outputs (site, deck)."""
