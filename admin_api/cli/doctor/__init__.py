"""`fellow doctor`: checks that the database, models and every configured integration work, with fixes."""
