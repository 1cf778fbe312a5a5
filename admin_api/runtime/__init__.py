"""What runs besides request handling: the worker and its job scheduler, sync wiring, first-run bootstrap, the
serving scorer with hot swap, and retraining in the background."""
