"""Personal data kept out of storage and logs: card numbers, emails, phone numbers masked."""
