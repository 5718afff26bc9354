"""The Trends view: protected time over many weeks, charted."""
