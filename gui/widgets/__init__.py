"""Small widgets and helpers the views and dialogs share."""
