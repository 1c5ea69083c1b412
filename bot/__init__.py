"""Soft Landing's Telegram edge: handlers, rendering, delivery sender and the command line."""
