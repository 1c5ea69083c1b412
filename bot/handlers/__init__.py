"""One module per feature; ``bot.app`` wires them all in one place."""
