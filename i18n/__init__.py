"""Text catalogue (Vietnamese first, English) and Vietnamese number/date formats."""
