"""CRM sync: Salesforce (leads in, scores out, outcomes back) and Fellow (calls in), behind small clients."""
