// Intentionally empty: this target only provides the entry point (see MailFuzzMain.c).
