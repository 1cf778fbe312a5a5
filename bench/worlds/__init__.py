"""What benchmarks and tests share: a generated Salesforce-shaped org with known outcome odds, and scored leads."""
