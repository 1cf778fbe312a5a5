"""The Lead-page panel inside Salesforce: a Canvas app rendered by the product (see docs/canvas.md)."""
