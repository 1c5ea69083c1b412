"""Who gets what, when: settings, progress, time zones, the store and the delivery engine.

Nothing here imports Telegram."""
