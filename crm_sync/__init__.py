"""CRM sync: Salesforce (leads in, scores out, outcomes back), Fellow (calls in) behind small clients, company
enrichment, and the CSV import of past CRM leads with outcomes (`history_import`)."""
