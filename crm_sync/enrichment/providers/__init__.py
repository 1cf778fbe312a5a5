"""Enrichment providers: Salesforce fields, a bulk firmographics CSV, and the company website."""
