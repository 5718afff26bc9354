"""The Reports and Merge views: the committee export and the clinic roll-up, and saving them."""
