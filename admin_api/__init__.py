"""The composition root: `app.py` (the FastAPI app factory) and its rooms: api/ (web API), dashboard/, cli/
(`fellow`, doctor/), runtime/ (worker, job scheduler, wiring, serving, bootstrap) and demo/ (sample data)."""
