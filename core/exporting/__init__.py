"""Taking numbers out: committee JSON, CSV and PDF, charts and the clinic roll-up."""
