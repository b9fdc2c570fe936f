"""Source: the case file and the organisation's profile, read and validated into typed records."""
