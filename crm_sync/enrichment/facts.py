"""Re-export of the fact helpers `admin_api/cli/enrich_cmd.py` imports from here.

The facts themselves (keys, merging, material changes, sentences) are defined once in `scoring.enrichment`.
"""

from scoring.enrichment import fact_sentences

__all__ = ["fact_sentences"]
